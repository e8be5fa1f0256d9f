namespace Cimaa.HelpGen;

/// <summary>
/// <c>dotnet Cimaa.HelpGen.dll &lt;docs/cmdlets folder&gt; &lt;output .xml path&gt;</c>: converts every <c>*.md</c>
/// page of the folder (in file-name order) into one MAML help file. Exit codes: 0 written, 1 a page is
/// malformed (<c>file:line: message</c> on stderr, nothing written), 2 bad arguments.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2)
        {
            stderr.WriteLine("usage: dotnet Cimaa.HelpGen.dll <docs/cmdlets folder> <output .xml path>");
            return 2;
        }
        string folder = args[0], output = args[1];
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"{folder}: folder not found");
            return 1;
        }

        var pages = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal);
        var commands = new List<CommandHelp>();
        bool failed = false;
        foreach (string page in pages)
        {
            string markdown = File.ReadAllText(page);
            if (HelpReader.IsModulePage(markdown)) continue;
            try
            {
                commands.Add(HelpReader.Read(markdown));
            }
            catch (HelpFormatException e)
            {
                stderr.WriteLine($"{page}:{e.Line}: {e.Message}");
                failed = true;
            }
        }
        if (failed) return 1;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        MamlWriter.Save(commands, output);
        stdout.WriteLine($"{output}: {commands.Count} command(s)");
        return 0;
    }
}
