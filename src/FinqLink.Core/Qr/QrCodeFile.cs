using System.IO;
using System.Text;
using QRCoder;

namespace FinqLink.Qr
{
    /// <summary>Writes a QR code of a URL as PNG or SVG (error correction M: survives print and small damage).</summary>
    public static class QrCodeFile
    {
        public static void WritePng(string url, string path, int pixelsPerModule)
        {
            using var data = Encode(url);
            File.WriteAllBytes(path, new PngByteQRCode(data).GetGraphic(pixelsPerModule));
        }

        public static void WriteSvg(string url, string path, int pixelsPerModule)
        {
            using var data = Encode(url);
            File.WriteAllText(path, new SvgQRCode(data).GetGraphic(pixelsPerModule), new UTF8Encoding(false));
        }

        private static QRCodeData Encode(string url)
        {
            using var generator = new QRCodeGenerator();
            return generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        }
    }
}
