using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.WebUi;

/// <summary>
/// The frame of every payer page: sized for the phone that scanned the QR code (viewport meta, one column, text that
/// wraps instead of scrolling sideways, large touch targets), readable on a desktop too.
/// </summary>
public static class PageLayout
{
    private const string Style =
        "*{box-sizing:border-box}"
        + "body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:30rem;color:#1b1b1f;overflow-wrap:anywhere}"
        + "h1{font-size:1.4rem;margin:.5rem 0 1rem}"
        + ".amount{font-size:2rem;font-weight:600;margin:0}"
        + ".muted{color:#5c5c66;font-size:.9rem}"
        + ".status{padding:.75rem;border-radius:.5rem;background:#eef3ff}"
        + "details{border:1px solid #c9c9d3;border-radius:.5rem;margin:.5rem 0;padding:0 .75rem}"
        + "summary{padding:.75rem 0;font-weight:600;cursor:pointer}"
        + "label{display:block;margin:.5rem 0}"
        + "input{display:block;width:100%;font-size:1rem;padding:.6rem;margin-top:.25rem;border:1px solid #9a9aa6;border-radius:.4rem}"
        + "button{display:block;width:100%;font-size:1rem;padding:.75rem;margin:.75rem 0;border:0;border-radius:.5rem;background:#1f5eff;color:#fff}"
        + "button.secondary{background:#e6e6ec;color:#1b1b1f}"
        + "footer{margin-top:2rem}";

    public static IResult Page(string title, string body, int status = 200) => Results.Content(
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        + "<meta name=viewport content=\"width=device-width, initial-scale=1\">"
        + $"<title>{E(title)} · FinqLink sandbox</title><style>{Style}</style></head>"
        + $"<body><main><h1>{E(title)}</h1>{body}</main>"
        + "<footer class=muted>FinqLink sandbox: a test page, no real bank or money is involved.</footer></body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
