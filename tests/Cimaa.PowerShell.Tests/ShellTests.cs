using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public class ShellTests
{
    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 3", 3)]
    [InlineData("throw 'boom'", 1)]
    [InlineData("'fine'", 0)]
    [InlineData("exit (Test-CimaaDeployStatus -Path ./x -ClusterVersionFrom bad).ExitCode", 1)]
    [InlineData("Get-CimaaFault -MinimumSeverity banana", 1)]
    public void Command_returns_the_script_exit_code(string script, int expected)
    {
        var (code, _, _) = ShellProcess.Run(["-Command", script]);
        Assert.Equal(expected, code);
    }

    [Fact]
    public void File_runs_with_arguments_and_returns_its_exit_code()
    {
        using var dir = new TempDir();
        var file = dir.File("s.ps1");
        File.WriteAllText(file, "param([int]$a, [int]$b)\n\"sum=$($a + $b)\"\nexit ($a + $b)\n");
        var (code, output, _) = ShellProcess.Run(["-File", file, "2", "5"]);
        Assert.Equal(7, code);
        Assert.Contains("sum=7", output);
    }

    [Fact]
    public void Output_is_rendered_through_the_format_views()
    {
        using var dir = new TempDir();
        var (code, output, error) = ShellProcess.Run(["-Command", $"Connect-Cimaa -Path '{dir.File("r.db")}'; Initialize-CimaaTable"]);
        Assert.True(code == 0, error);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^Table\s+Status\s+KeySchema$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("faults") && l.Contains("Created"));
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public void Unknown_arguments_print_usage()
    {
        var (code, _, error) = ShellProcess.Run(["-Bogus"]);
        Assert.Equal(64, code);
        Assert.Contains("usage", error);
    }
}
