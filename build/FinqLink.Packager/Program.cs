using System;
using System.IO;
using FinqLink.Packager;

if (args.Length != 2 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("Usage: dotnet run --project build/FinqLink.Packager -- <module folder, e.g. out/FinqLink/0.1.0> <output folder>");
    return 2;
}
try
{
    Console.WriteLine(ModulePackage.Create(Path.GetFullPath(args[0]), Path.GetFullPath(args[1])));
    return 0;
}
catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
