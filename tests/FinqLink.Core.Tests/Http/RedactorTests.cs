using FinqLink.Http;
using Xunit;

namespace FinqLink.Core.Tests.Http;

/// <summary>What -Debug may show of a body: everything but secrets, tokens, assertions, key material and authorization codes.</summary>
public class RedactorTests
{
    [Theory]
    [InlineData("""{"client_id":"c1","client_secret":"s3cret","link_id":"l1"}""", """{"client_id":"c1","client_secret":"***","link_id":"l1"}""")]
    [InlineData("""{"access_token":"eyJ.x.y","token_type":"Bearer"}""", """{"access_token":"***","token_type":"Bearer"}""")]
    [InlineData("""{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","d":"private"}]}""", """{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","d":"***"}]}""")]
    [InlineData("""{"client_id":"c1","consent_id":"k1","code":"AUTH-CODE-1"}""", """{"client_id":"c1","consent_id":"k1","code":"***"}""")]
    [InlineData("""{"code":"validation_error","message":"single_transfer.amount: is required"}""", """{"code":"validation_error","message":"single_transfer.amount: is required"}""")]
    public void Json_bodies_keep_what_helps_and_lose_what_grants_access(string body, string shown) =>
        Assert.Equal(shown, Redactor.RedactJson(body));

    [Fact]
    public void Form_bodies_lose_secrets_and_assertions()
    {
        var shown = Redactor.RedactJson("grant_type=client_credentials&client_id=c1&client_assertion=eyJ.a.b&client_secret=s3cret");
        Assert.Equal("grant_type=client_credentials&client_id=c1&client_assertion=***&client_secret=***", shown);
    }

    [Theory]
    [InlineData("http://user:s3cret@relay.example:8081/hook?token=t0ken#x", "http://relay.example:8081/hook")]
    [InlineData("https://relay.example/hook", "https://relay.example/hook")]
    public void Urls_lose_their_user_info_query_and_fragment(string url, string shown) =>
        Assert.Equal(shown, Redactor.RedactUrl(new System.Uri(url)));
}
