using System.Text.Json.Serialization;
using FinqLink.Requests;

namespace FinqLink.Json
{
    /// <summary>
    /// The request serializer: System.Text.Json's source generator writes each request type's writer at build time, so
    /// no converter is built by reflection (and JIT-compiled) at a process's first request. Null fields are left out.
    /// </summary>
    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, GenerationMode = JsonSourceGenerationMode.Serialization)]
    [JsonSerializable(typeof(LinkCreateRequest))]
    [JsonSerializable(typeof(ConsentCreateRequest))]
    [JsonSerializable(typeof(ProviderRequest))]
    [JsonSerializable(typeof(ListRequest<AccountFilter>))]
    [JsonSerializable(typeof(ListRequest<BalanceFilter>))]
    [JsonSerializable(typeof(ListRequest<TransactionFilter>))]
    [JsonSerializable(typeof(ListRequest<LinkFilter>))]
    internal sealed partial class RequestJson : JsonSerializerContext
    {
    }
}
