using System.Globalization;
using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Test-CimaaDeployStatus through the engine: every rule of the contract's "Deployment status", with its exact message.</summary>
public class DeployStatusCmdletTests
{
    /// <summary>
    /// Writes a status file whose time is <c>$age</c> seconds before [DateTimeOffset]::UtcNow, taken right before the check
    /// runs, and returns its path.
    /// </summary>
    private const string Prelude = """
        function Write-Status([string]$Name, [double]$Age, [string]$Rest) {
            $t = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000 - $Age
            $p = [System.IO.Path]::Combine($dir, $Name)
            [System.IO.File]::WriteAllText($p, $t.ToString([cultureinfo]::InvariantCulture) + ' ' + $Rest + "`n")
            $p
        }

        """;

    private static PsResult Run(TempDir dir, string script, Dictionary<string, object>? more = null)
    {
        var variables = new Dictionary<string, object> { ["dir"] = dir.Path };
        foreach (var (k, v) in more ?? []) variables[k] = v;
        return Ps.Run(Prelude + script, variables);
    }

    private static PSObject Single(PsResult r) => Assert.Single(r.ThrowIfFailed().Output);

    private static T Prop<T>(PSObject o, string name) => (T)o.Properties[name].Value;

    private static void AssertStatus(PSObject o, string state, int exitCode, int severity, string message)
    {
        Assert.Equal("Cimaa.DeployStatus", o.TypeNames[0]);
        Assert.Equal(message, Prop<string>(o, "Message"));
        Assert.Equal(state, Prop<string>(o, "State"));
        Assert.Equal(exitCode, Prop<int>(o, "ExitCode"));
        Assert.Equal(severity, Prop<int>(o, "Severity"));
    }

    // Rule 1
    [Fact]
    public void Rule1_a_missing_file_is_CRITICAL()
    {
        using var dir = new TempDir();
        var path = dir.File("status");
        var o = Single(Run(dir, "Test-CimaaDeployStatus $p", new() { ["p"] = path }));
        AssertStatus(o, "CRITICAL", 2, 40, $"Cannot read status file {path}: No such file or directory");
        Assert.Equal(path, Prop<string>(o, "Path"));
        Assert.Null(o.Properties["Version"].Value);
        Assert.Null(o.Properties["Age"].Value);
    }

    [Fact]
    public void Rule1_a_directory_is_CRITICAL()
    {
        using var dir = new TempDir();
        AssertStatus(Single(Run(dir, "Test-CimaaDeployStatus $dir")), "CRITICAL", 2, 40, $"Cannot read status file {dir.Path}: Is a directory");
    }

    [Fact]
    public void Rule1_a_path_outside_the_file_system_is_CRITICAL()
    {
        using var dir = new TempDir();
        var o = Single(Run(dir, "Test-CimaaDeployStatus variable:/status"));
        AssertStatus(o, "CRITICAL", 2, 40, "Cannot read status file variable:/status: not a file system path (provider Variable)");
        o = Single(Run(dir, "Test-CimaaDeployStatus nosuchdrive:/status"));
        Assert.Equal("CRITICAL", Prop<string>(o, "State"));
        Assert.StartsWith("Cannot read status file nosuchdrive:/status: ", Prop<string>(o, "Message"));
    }

    // Rule 2
    [Theory]
    [InlineData("", "file is empty")]
    [InlineData("1418160088 42 1.2.3", "expected '<time> <pid> <version> <status>', found 3 fields")]
    [InlineData("soon 42 1.2.3 done", "time 'soon' is not a number")]
    [InlineData("1418160088 forty-two 1.2.3 done", "pid 'forty-two' is not an integer")]
    [InlineData("1418160088 42 1.2.3 done\n1418160089 42 1.2.4 done", "more than one line")]
    public void Rule2_malformed_content_is_UNKNOWN(string content, string what)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status"), content);
        AssertStatus(Single(Run(dir, "Test-CimaaDeployStatus $p", new() { ["p"] = dir.File("status") })), "UNKNOWN", 3, 40,
            $"Malformed status file {dir.File("status")}: {what}");
    }

    [Fact]
    public void Rule2_binary_junk_and_a_file_over_64_KB_are_UNKNOWN()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("junk"), [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]);
        File.WriteAllText(dir.File("big"), "1418160088 42 1.2.3 " + new string('x', 70_000));
        var r = Run(dir, "Test-CimaaDeployStatus $a, $b", new() { ["a"] = dir.File("junk"), ["b"] = dir.File("big") }).ThrowIfFailed();
        Assert.Equal(2, r.Output.Count);
        AssertStatus(r.Output[0], "UNKNOWN", 3, 40, $"Malformed status file {dir.File("junk")}: content holds binary data (U+007F at character 0)");
        AssertStatus(r.Output[1], "UNKNOWN", 3, 40, $"Malformed status file {dir.File("big")}: file is larger than 65536 bytes");
    }

    [Fact]
    public void Rule2_a_time_more_than_5_minutes_ahead_is_UNKNOWN()
    {
        using var dir = new TempDir();
        var o = Single(Run(dir, "Test-CimaaDeployStatus (Write-Status status -1000.5 '42 1.2.3 done')"));
        Assert.Equal(("UNKNOWN", 3, 40), (Prop<string>(o, "State"), Prop<int>(o, "ExitCode"), Prop<int>(o, "Severity")));
        Assert.Matches(@"^Malformed status file .*status: time \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ is \d+ seconds in the future$", Prop<string>(o, "Message"));
    }

    // Rule 3
    [Fact]
    public void Rule3_error_is_CRITICAL()
    {
        using var dir = new TempDir();
        AssertStatus(Single(Run(dir, "Test-CimaaDeployStatus (Write-Status status 5 '42 1.2.3 error') -ClusterVersion 9")),
            "CRITICAL", 2, 40, "Error deploying 1.2.3");
    }

    // Rule 4
    [Fact]
    public void Rule4_done_with_another_cluster_version_is_CRITICAL()
    {
        using var dir = new TempDir();
        var o = Single(Run(dir, "Test-CimaaDeployStatus (Write-Status status 90000 '42 1.2.3 done') -ClusterVersion 1.2.4"));
        AssertStatus(o, "CRITICAL", 2, 40, "Version mismatch (status: 1.2.3, cluster: 1.2.4)");
        Assert.Equal("1.2.4", Prop<string>(o, "ClusterVersion"));
    }

    // Rule 5
    [Fact]
    public void Rule5_done_is_OK_with_a_matching_or_unknown_cluster_version()
    {
        using var dir = new TempDir();
        var r = Run(dir, """
            $f = Write-Status status 90000 '42 1.2.3 done'
            Test-CimaaDeployStatus $f -ClusterVersion 1.2.3
            Test-CimaaDeployStatus $f
            """).ThrowIfFailed();
        AssertStatus(r.Output[0], "OK", 0, 0, "done");
        Assert.Equal("1.2.3", Prop<string>(r.Output[0], "ClusterVersion"));
        AssertStatus(r.Output[1], "OK", 0, 0, "done");
        Assert.Null(r.Output[1].Properties["ClusterVersion"].Value);
    }

    [Theory]
    [InlineData("$null")]
    [InlineData("''")]
    public void A_cluster_version_without_a_value_is_a_WARNING(string value)
    {
        using var dir = new TempDir();
        AssertStatus(Single(Run(dir, $"Test-CimaaDeployStatus (Write-Status status 5 '42 1.2.3 done') -ClusterVersion {value}")),
            "WARNING", 1, 30, "Cluster version is None");
    }

    // Rule 6
    [Theory]
    [InlineData(300, "", "WARNING", 1, 30, "Too long deploying 1.2.3 (installing foo) 300 > 200")]
    [InlineData(700, "", "CRITICAL", 2, 40, "Too long deploying 1.2.3 (installing foo) 700 > 600")]
    [InlineData(700, "-WarningAge 99 -ErrorAge 999", "WARNING", 1, 30, "Too long deploying 1.2.3 (installing foo) 700 > 99")]
    [InlineData(700, "-WarningAge 99 -ErrorAge 199", "CRITICAL", 2, 40, "Too long deploying 1.2.3 (installing foo) 700 > 199")]
    [InlineData(700, "-WarningAge 99.9 -ErrorAge '199'", "CRITICAL", 2, 40, "Too long deploying 1.2.3 (installing foo) 700 > 199")]
    [InlineData(700, "-WarningAge 00:01:39 -ErrorAge ([timespan]::FromMinutes(20))", "WARNING", 1, 30, "Too long deploying 1.2.3 (installing foo) 700 > 99")]
    public void Rule6_too_long_in_progress(int age, string thresholds, string state, int exitCode, int severity, string message)
    {
        using var dir = new TempDir();
        AssertStatus(Single(Run(dir, $"Test-CimaaDeployStatus (Write-Status status {age} '42 1.2.3 installing foo') {thresholds}")),
            state, exitCode, severity, message);
    }

    // Rule 7
    [Fact]
    public void Rule7_in_progress_is_OK_with_the_status_as_message()
    {
        using var dir = new TempDir();
        var o = Single(Run(dir, "Test-CimaaDeployStatus (Write-Status status 10 '4242 1.2.3 installing  foo bar')"));
        AssertStatus(o, "OK", 0, 0, "installing  foo bar");
        Assert.Equal("1.2.3", Prop<string>(o, "Version"));
        Assert.Equal("installing  foo bar", Prop<string>(o, "AgentStatus"));
        Assert.Equal(4242, Prop<int>(o, "Pid"));
        Assert.IsType<DateTimeOffset>(o.Properties["Time"].Value);
        var age = Assert.IsType<TimeSpan>(o.Properties["Age"].Value);
        Assert.True(age >= TimeSpan.FromSeconds(10), age.ToString());
        Assert.Equal("OK", Prop<string>(o, "Level"));
    }

    [Fact]
    public void The_object_has_the_contract_properties_and_no_Name()
    {
        using var dir = new TempDir();
        var r = Run(dir, """
            $s = Test-CimaaDeployStatus (Write-Status status 1 '42 1.2.3 done')
            [string[]]$s.PSObject.Properties.Name
            (Get-Command Test-CimaaDeployStatus).OutputType.Name
            """).ThrowIfFailed();
        var names = r.Output.Take(r.Output.Count - 1).Select(o => (string)o.BaseObject).ToList();
        foreach (var expected in new[] { "Path", "State", "ExitCode", "Severity", "Message", "Version", "AgentStatus", "Pid", "Time", "Age", "ClusterVersion" })
        {
            Assert.Contains(expected, names);
        }
        Assert.DoesNotContain("Name", names);
        Assert.DoesNotContain("Agent", names);
        Assert.Equal("Cimaa.DeployStatus", r.Output[^1].BaseObject);
    }

    // -Path and the pipeline
    [Fact]
    public void Paths_bind_by_value_by_property_name_and_FullName_and_give_one_object_each()
    {
        using var dir = new TempDir();
        var r = Run(dir, """
            $ok = Write-Status ok 1 '42 1.2.3 done'
            $bad = Write-Status bad 1 '42 1.2.3 error'
            $ok, $bad | Test-CimaaDeployStatus
            [System.IO.FileInfo]::new($bad) | Test-CimaaDeployStatus
            [pscustomobject]@{ Path = $ok } | Test-CimaaDeployStatus
            [pscustomobject]@{ FullName = $bad } | Test-CimaaDeployStatus
            Test-CimaaDeployStatus -Path $ok, $bad
            """).ThrowIfFailed();
        Assert.Equal(["ok", "bad", "bad", "ok", "bad", "ok", "bad"], r.Output.Select(o => Path.GetFileName(Prop<string>(o, "Path"))));
        Assert.Equal(["OK", "CRITICAL", "CRITICAL", "OK", "CRITICAL", "OK", "CRITICAL"], r.Output.Select(o => Prop<string>(o, "State")));
    }

    [Fact]
    public void A_relative_path_resolves_against_the_current_location()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status"), $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()} 42 1.2.3 done\n");
        var r = Ps.RunWithHost("""
            $ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null
            Test-CimaaDeployStatus ./status
            Test-CimaaDeployStatus status
            """, TextWriter.Null, new Dictionary<string, object> { ["dir"] = dir.Path }).ThrowIfFailed();
        Assert.All(r.Output, o => Assert.Equal(dir.File("status"), Prop<string>(o, "Path")));
        Assert.Equal(2, r.Output.Count);
    }

    // -ClusterVersionFrom
    [Theory]
    [InlineData("deploy/cluster")]
    [InlineData("deploy//version")]
    [InlineData("deploy/cluster/version/extra")]
    public void A_ClusterVersionFrom_not_store_option_key_is_InvalidClusterVersionSource_and_nothing_is_written(string source)
    {
        using var dir = new TempDir();
        // try/catch sees only terminating errors; anything written before the error would precede the caught record.
        var r = Run(dir, """
            try { (Write-Status a 1 '42 1.2.3 done'), (Write-Status b 1 '42 1.2.3 done') | Test-CimaaDeployStatus -ClusterVersionFrom $s }
            catch { $_ }
            """, new() { ["s"] = source }).ThrowIfFailed();
        var record = Assert.IsType<ErrorRecord>(Assert.Single(r.Output).BaseObject);
        Assert.Equal("InvalidClusterVersionSource,Cimaa.PowerShell.Commands.TestCimaaDeployStatusCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Equal(source, record.TargetObject);
        Assert.Equal($"The cluster version source '{source}' is not valid: expected 'store/option/key', three non-empty parts.", record.Exception.Message);
    }

    [Fact]
    public void ClusterVersion_and_ClusterVersionFrom_exclude_each_other()
    {
        using var dir = new TempDir();
        var r = Run(dir, "Test-CimaaDeployStatus (Write-Status a 1 '42 1 done') -ClusterVersion 1 -ClusterVersionFrom a/b/c");
        Assert.Equal(["AmbiguousParameterSet"], r.ErrorIds);
    }

    // Connections and time
    [Fact]
    public void Reading_a_file_sends_no_request_on_the_connection()
    {
        using var dir = new TempDir();
        var r = Run(dir, """
            $c = Connect-Cimaa -Path $db -PassThru
            $before = $c.RequestCount
            $s = Test-CimaaDeployStatus (Write-Status status 1 '42 1.2.3 done') -Connection $c
            $s.State
            $c.RequestCount - $before
            """, new() { ["db"] = dir.File("c.db") }).ThrowIfFailed();
        Assert.Equal("OK", r.Output[0].BaseObject);
        Assert.Equal(0L, Convert.ToInt64(r.Output[1].BaseObject, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Verbose_says_which_file_is_read()
    {
        using var dir = new TempDir();
        var r = Run(dir, "Test-CimaaDeployStatus (Write-Status status 1 '42 1.2.3 done') -Verbose").ThrowIfFailed();
        Assert.Contains($"Reading status file {dir.File("status")}", r.Verbose);
    }

    [Fact]
    public void The_table_view_shows_state_version_age_message_and_path()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status"), $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 700} 42 1.2.3 installing foo\n");
        var output = new StringWriter();
        Ps.RunWithHost("Test-CimaaDeployStatus $p | Out-Default", output, new Dictionary<string, object> { ["p"] = dir.File("status") }).ThrowIfFailed();
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^State\s+Version\s+Age \(s\)\s+Message\s+Path$", lines[0]);
        Assert.Matches(@"^CRITICAL\s+1\.2\.3\s+70\d\s+Too long deploying 1\.2\.3 \(installing foo\) 70\d > 600\s+/", lines[2]);
    }

    // The scheduled-task form, in real pwsh: the process exit code is the check's.
    [Fact]
    public void Pwsh_exit_code_is_the_status_exit_code_and_no_store_is_opened()
    {
        using var dir = new TempDir();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var files = new (string Name, string Content, int Expected)[]
        {
            ("ok", $"{now} 42 1.2.3 done\n", 0),
            ("warning", $"{now - 300} 42 1.2.3 installing foo\n", 1),
            ("critical", $"{now} 42 1.2.3 error\n", 2),
            ("unknown", "not a status file\n", 3),
        };
        var db = dir.File("implicit.db");
        foreach (var (name, content, expected) in files)
        {
            File.WriteAllText(dir.File(name), content);
            var (code, output, error) = PwshProcess.Run(["-Command", $"exit (Test-CimaaDeployStatus '{dir.File(name)}').ExitCode"],
                new Dictionary<string, string> { ["CIMAA_DB"] = db });
            Assert.True(expected == code, $"{name}: exit code {code}, expected {expected}\n{output}\n{error}");
        }
        Assert.False(File.Exists(db), "reading a status file opened the default store");
    }
}
