global using System.Buffers.Text;
