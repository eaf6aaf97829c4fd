namespace FinqLink.Validation
{
    /// <summary>
    /// Every request field the client validates, by its API name. Errors name these; the module maps each to the parameter
    /// a user typed (one table there), and a test checks the two lists agree.
    /// </summary>
    public static class ApiFields
    {
        // links/create
        public static readonly ApiField Amount = new ApiField("single_transfer.amount");
        public static readonly ApiField Currency = new ApiField("single_transfer.currency");
        public static readonly ApiField CreditorName = new ApiField("single_transfer.creditor.name");
        public static readonly ApiField CreditorIban = new ApiField("single_transfer.creditor.iban");
        public static readonly ApiField DebtorIban = new ApiField("single_transfer.debtor.iban");
        public static readonly ApiField DebtorPsuId = new ApiField("single_transfer.debtor.psu_id");
        public static readonly ApiField RemittanceInformation = new ApiField("single_transfer.remittance_information");
        public static readonly ApiField PaymentProvider = new ApiField("payment_method.provider_id");
        public static readonly ApiField RemitterType = new ApiField("payment_method.remitter_type", Rules.RemitterTypes);
        public static readonly ApiField PaymentScheme = new ApiField("payment_method.payment_scheme", Rules.PaymentSchemes);
        public static readonly ApiField PaymentEnvironment = new ApiField("payment_method.env", Rules.Environments);
        public static readonly ApiField UserEditable = new ApiField("options.user_editable");

        // links/create and ais/consents/create
        public static readonly ApiField FlowType = new ApiField("options.type", Rules.FlowTypes);
        public static readonly ApiField UxTemplate = new ApiField("options.ux_template");
        public static readonly ApiField WebhookUrl = new ApiField("options.webhook_url");
        public static readonly ApiField RedirectUrl = new ApiField("options.redirect_url");
        public static readonly ApiField ExpiresIn = new ApiField("options.expires_in");
        public static readonly ApiField TrackingUserId = new ApiField("tracking.tenant_user_id");
        public static readonly ApiField TrackingCompanyId = new ApiField("tracking.tenant_company_id");
        /// <summary>Fields a caller adds or overrides by hand.</summary>
        public static readonly ApiField Extra = new ApiField("(additional properties)");

        // ais/consents/create
        public static readonly ApiField Scope = new ApiField("consent.scope");
        public static readonly ApiField ValidityDays = new ApiField("consent.consent_validity_days");
        public static readonly ApiField AisProvider = new ApiField("ais_method.provider_id");
        public static readonly ApiField AccountOwnerType = new ApiField("ais_method.account_owner_type", Rules.AccountOwnerTypes);
        public static readonly ApiField InterfaceEnvironment = new ApiField("ais_method.interface_env", Rules.Environments);

        // providers/list and providers/get
        public static readonly ApiField ProviderId = new ApiField("provider_id");
        public static readonly ApiField AisFilterOwnerType = new ApiField("options.ais_methods_filter.account_owner_type", Rules.AccountOwnerTypes);
        public static readonly ApiField AisFilterInterfaceType = new ApiField("options.ais_methods_filter.interface_type");
        public static readonly ApiField AisFilterEnvironment = new ApiField("options.ais_methods_filter.interface_env", Rules.Environments);

        // ids and other top-level fields
        public static readonly ApiField LinkId = new ApiField("link_id");
        public static readonly ApiField ConsentId = new ApiField("consent_id");
        public static readonly ApiField JobId = new ApiField("job_id");
        public static readonly ApiField CallbackUrl = new ApiField("callback_url");
        public static readonly ApiField RedirectCode = new ApiField("code");
        public static readonly ApiField RedirectError = new ApiField("error");

        // list filters
        public static readonly ApiField LinkStatus = new ApiField("filter.status", Models.LinkStatuses.All);
        public static readonly ApiField CreatedFrom = new ApiField("filter.inserted_at_from");
        public static readonly ApiField CreatedTo = new ApiField("filter.inserted_at_to");
        public static readonly ApiField FilterCurrency = new ApiField("filter.currency");
        public static readonly ApiField AccountType = new ApiField("filter.account_type");
        public static readonly ApiField AccountSubType = new ApiField("filter.account_sub_type");
        public static readonly ApiField AccountId = new ApiField("filter.account_id");
        public static readonly ApiField BalanceType = new ApiField("filter.type");
        public static readonly ApiField AmountMin = new ApiField("filter.amount_min");
        public static readonly ApiField AmountMax = new ApiField("filter.amount_max");
        public static readonly ApiField BookedFrom = new ApiField("filter.booking_date_from");
        public static readonly ApiField BookedTo = new ApiField("filter.booking_date_to");
        public static readonly ApiField UpdatedFrom = new ApiField("filter.updated_from");
        public static readonly ApiField UpdatedTo = new ApiField("filter.updated_to");
        public static readonly ApiField Direction = new ApiField("filter.credit_debit_indicator", Rules.Directions);
        public static readonly ApiField TransactionStatus = new ApiField("filter.status", Rules.TransactionStatuses);
        public static readonly ApiField PageSize = new ApiField("pagination.limit");

        // Invoke-FinqRequest's raw body
        public static readonly ApiField Body = new ApiField("(body)");
    }
}
