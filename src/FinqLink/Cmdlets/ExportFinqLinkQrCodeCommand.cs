using System;
using System.IO;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Qr;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Writes a QR code of a link's web_url as PNG or SVG, for invoices and printed material.</summary>
    [Cmdlet(VerbsData.Export, "FinqLinkQrCode", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportFinqLinkQrCodeCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("web_url", "Url")]
        public string WebUrl { get; set; } = "";

        /// <summary>A folder (files are named after -Name, the Reference or the LinkId) or a file path ending in .png or .svg.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Reference", "LinkId")]
        public string? Name { get; set; }

        [Parameter]
        [ValidateSet("Png", "Svg")]
        public string Format { get; set; } = "Png";

        [Parameter]
        [ValidateRange(1, 64)]
        public int PixelsPerModule { get; set; } = 10;

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (!Uri.TryCreate(WebUrl, UriKind.Absolute, out _)) throw new ArgumentException($"WebUrl: '{WebUrl}' is not an absolute URL.");
                var file = TargetFile();
                if (File.Exists(file) && !Force) throw new IOException($"Path: {file} exists; use -Force to overwrite.");
                if (!ShouldProcess(file, "Write QR code")) return;
                if (Format == "Svg") QrCodeFile.WriteSvg(WebUrl, file, PixelsPerModule);
                else QrCodeFile.WritePng(WebUrl, file, PixelsPerModule);
                WriteObject(new FileInfo(file));
            }
            catch (Exception e) when (e is ArgumentException || e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, WebUrl));
            }
        }

        private string TargetFile()
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var extension = Format == "Svg" ? ".svg" : ".png";
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            {
                if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"Path: a {Format} file must end in {extension}.");
                return path;
            }
            Directory.CreateDirectory(path);
            var name = Name ?? new Uri(WebUrl).Segments[new Uri(WebUrl).Segments.Length - 1];
            foreach (var c in System.IO.Path.GetInvalidFileNameChars()) name = name.Replace(c, '_');
            return System.IO.Path.Combine(path, name + extension);
        }
    }
}
