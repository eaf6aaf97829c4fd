using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        /// <summary>The type name the view of written files selects (the FileInfo keeps its own type names after it).</summary>
        internal const string OutputTypeName = "FinqLink.QrCodeFile";

        // Files written (or, with -WhatIf, that would be) in this run: a later input never overwrites an earlier one.
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("web_url", "Url")]
        public string WebUrl { get; set; } = "";

        /// <summary>A folder (files are named after -Name, the Reference or the LinkId) or a file path ending in .png or .svg.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The file name in the folder; by default the Reference, else the LinkId.</summary>
        [Parameter]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Reference { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("link_id")]
        public string? LinkId { get; set; }

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
                if (!Uri.TryCreate(WebUrl, UriKind.Absolute, out var url)) throw new ArgumentException($"WebUrl: '{WebUrl}' is not an absolute URL.");
                var file = UnusedInThisRun(TargetFile(url));
                if (File.Exists(file) && !Force) throw new IOException($"Path: {file} exists; use -Force to overwrite.");
                _written.Add(file);
                if (!ShouldProcess(file, "Write QR code")) return;
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
                if (Format == "Svg") QrCodeFile.WriteSvg(WebUrl, file, PixelsPerModule);
                else QrCodeFile.WritePng(WebUrl, file, PixelsPerModule);
                WriteObject(Written(file));
            }
            catch (Exception e) when (e is ArgumentException || e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, WebUrl));
            }
        }

        private string TargetFile(Uri url)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var extension = Format == "Svg" ? ".svg" : ".png";
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            {
                if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"Path: a {Format} file must end in {extension}.");
                return path;
            }
            // CSV rows carry every column, often empty: a blank Reference falls through to the LinkId.
            var name = new[] { Name, Reference, LinkId, url.Segments[url.Segments.Length - 1] }.First(n => !string.IsNullOrWhiteSpace(n))!.Trim();
            foreach (var c in System.IO.Path.GetInvalidFileNameChars()) name = name.Replace(c, '_');
            return System.IO.Path.Combine(path, name + extension);
        }

        /// <summary>The file, or the first of file-2, file-3, … not written earlier in this run.</summary>
        private string UnusedInThisRun(string file)
        {
            if (!_written.Contains(file)) return file;
            var stem = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, System.IO.Path.GetFileNameWithoutExtension(file));
            var extension = System.IO.Path.GetExtension(file);
            var next = Enumerable.Range(2, int.MaxValue - 2).Select(n => $"{stem}-{n}{extension}").First(f => !_written.Contains(f));
            WriteWarning($"{System.IO.Path.GetFileName(file)} was already written for another link in this run; this one goes to {System.IO.Path.GetFileName(next)}.");
            return next;
        }

        /// <summary>The file as Get-Item gives it, with the link it encodes.</summary>
        private PSObject Written(string file)
        {
            var item = InvokeProvider.Item.Get(new[] { file }, false, true).Single();
            item.TypeNames.Insert(0, OutputTypeName);
            item.Properties.Add(new PSNoteProperty("LinkId", string.IsNullOrWhiteSpace(LinkId) ? null : LinkId));
            item.Properties.Add(new PSNoteProperty("Reference", string.IsNullOrWhiteSpace(Reference) ? null : Reference));
            item.Properties.Add(new PSNoteProperty("WebUrl", WebUrl));
            return item;
        }
    }
}
