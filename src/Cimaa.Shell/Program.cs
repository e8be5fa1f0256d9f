using Cimaa.Shell;

// cimaa-shell [-Command <script> | -File <path> [args...]]: PowerShell with the Cimaa module imported.
// With no arguments on a terminal it offers a simple prompt.
try
{
    using var shell = new ShellRunner(Console.Out, Console.Error, interactive: !Console.IsInputRedirected,
        width: Console.IsOutputRedirected ? 120 : Math.Max(80, Console.WindowWidth), plainText: Console.IsOutputRedirected);
    if (args.Length >= 2 && args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase))
    {
        return shell.RunScript(string.Join(' ', args[1..]));
    }
    if (args.Length >= 2 && args[0].Equals("-File", StringComparison.OrdinalIgnoreCase))
    {
        return shell.RunScript(Path.GetFullPath(args[1]), args[2..], isFile: true);
    }
    if (args.Length > 0)
    {
        Console.Error.WriteLine("usage: cimaa-shell [-Command <script> | -File <path> [args...]]");
        return 64;
    }
    if (Console.IsInputRedirected)
    {
        return shell.RunScript(Console.In.ReadToEnd());
    }
    while (true)
    {
        Console.Write("PS Cimaa> ");
        var line = Console.ReadLine();
        if (line is null) return 0;
        if (line.Trim() is "exit" or "quit") return 0;
        var code = shell.RunScript(line);
        if (System.Text.RegularExpressions.Regex.IsMatch(line, @"^\s*exit\b")) return code;
    }
}
catch (Exception e) when (e is FileNotFoundException or System.Management.Automation.RuntimeException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
