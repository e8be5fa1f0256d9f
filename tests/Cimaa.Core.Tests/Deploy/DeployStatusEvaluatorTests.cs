using System.Globalization;
using Cimaa.Deploy;

namespace Cimaa.Core.Tests.Deploy;

/// <summary>The rules of the contract's "Deployment status", first match wins, each with its exact message.</summary>
public class DeployStatusEvaluatorTests
{
    private const string Path = "/var/run/zkdeployment/status";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A status line written <paramref name="ageSeconds"/> before <see cref="Now"/>.</summary>
    internal static StatusFileRead Line(string version, string status, double ageSeconds = 0, int pid = 42)
    {
        var seconds = Now.ToUnixTimeMilliseconds() / 1000m - (decimal)ageSeconds;
        return StatusFileRead.Of($"{seconds.ToString(CultureInfo.InvariantCulture)} {pid} {version} {status}\n");
    }

    private static DeployStatus Evaluate(StatusFileRead file, DeployThresholds? thresholds = null, ClusterVersionInput? cluster = null) =>
        DeployStatusEvaluator.Evaluate(Path, file, Now, thresholds ?? DeployThresholds.Default, cluster ?? ClusterVersionInput.NotConfigured);

    private static void AssertState(DeployStatus s, string state, string message)
    {
        Assert.Equal(message, s.Message);
        Assert.Equal(state, s.State);
        var expected = DeployState.All.Single(x => x.Name == state);
        Assert.Equal(expected.ExitCode, s.ExitCode);
        Assert.Equal(expected.Severity, s.Severity);
        Assert.Equal(expected.Level, s.Level);
        Assert.Equal(Path, s.Path);
    }

    [Fact]
    public void The_states_have_the_contract_exit_codes_and_severities()
    {
        Assert.Equal([("OK", 0, 0), ("WARNING", 1, 30), ("CRITICAL", 2, 40), ("UNKNOWN", 3, 40)],
            DeployState.All.Select(s => (s.Name, s.ExitCode, s.Severity)).ToArray());
    }

    // Rule 1
    [Fact]
    public void Rule1_an_unreadable_file_is_critical_with_the_reason()
    {
        var s = Evaluate(StatusFileRead.Failed("No such file or directory"));
        AssertState(s, "CRITICAL", $"Cannot read status file {Path}: No such file or directory");
        Assert.Null(s.Version);
        Assert.Null(s.AgentStatus);
        Assert.Null(s.Pid);
        Assert.Null(s.Time);
        Assert.Null(s.Age);
    }

    // Rule 2
    [Theory]
    [InlineData("", "file is empty")]
    [InlineData("1418160088 42 1.2.3", "expected '<time> <pid> <version> <status>', found 3 fields")]
    [InlineData("yesterday 42 1.2.3 done", "time 'yesterday' is not a number")]
    [InlineData("1418160088 pid 1.2.3 done", "pid 'pid' is not an integer")]
    public void Rule2_malformed_content_is_unknown_with_what_is_wrong(string content, string what)
    {
        var s = Evaluate(StatusFileRead.Of(content));
        AssertState(s, "UNKNOWN", $"Malformed status file {Path}: {what}");
        Assert.Null(s.Version);
        Assert.Null(s.Age);
    }

    [Fact]
    public void Rule2_binary_junk_and_oversized_files_are_unknown()
    {
        AssertState(Evaluate(StatusFileRead.Of([0x00, 0x01, 0x02, 0xFF])), "UNKNOWN", $"Malformed status file {Path}: content is not UTF-8 text");
        AssertState(Evaluate(StatusFileRead.Of(new byte[StatusFile.MaxBytes + 1])), "UNKNOWN",
            $"Malformed status file {Path}: file is larger than 65536 bytes");
    }

    [Fact]
    public void Rule2_a_time_more_than_5_minutes_ahead_is_unknown()
    {
        var s = Evaluate(Line("1.2.3", "done", ageSeconds: -301.5));
        AssertState(s, "UNKNOWN", $"Malformed status file {Path}: time 2026-11-23 12:05:01Z is 301 seconds in the future");
    }

    [Fact]
    public void Rule2_up_to_5_minutes_ahead_is_clock_skew_and_fine()
    {
        var s = Evaluate(Line("1.2.3", "installing foo", ageSeconds: -300));
        AssertState(s, "OK", "installing foo");
        Assert.Equal(TimeSpan.FromSeconds(-300), s.Age);
    }

    [Fact]
    public void Rule2_comes_before_the_cluster_version()
    {
        AssertState(Evaluate(StatusFileRead.Of("junk"), cluster: ClusterVersionInput.Missing), "UNKNOWN",
            $"Malformed status file {Path}: expected '<time> <pid> <version> <status>', found 1 field");
    }

    // Rule 3
    [Fact]
    public void Rule3_error_is_critical_whatever_the_age_and_cluster_version()
    {
        AssertState(Evaluate(Line("1.2.3", "error")), "CRITICAL", "Error deploying 1.2.3");
        AssertState(Evaluate(Line("1.2.3", "error", 5000), cluster: ClusterVersionInput.Configured("9")), "CRITICAL", "Error deploying 1.2.3");
        AssertState(Evaluate(Line("1.2.3", "error"), cluster: ClusterVersionInput.Missing), "CRITICAL", "Error deploying 1.2.3");
    }

    [Theory]
    [InlineData("error installing foo")]
    [InlineData("Error")]
    public void Rule3_only_exactly_error_counts(string status)
    {
        AssertState(Evaluate(Line("1.2.3", status)), "OK", status);
    }

    // Rule 4
    [Fact]
    public void Rule4_done_with_another_cluster_version_is_a_mismatch()
    {
        var s = Evaluate(Line("1.2.3", "done", 100000), cluster: ClusterVersionInput.Configured("1.2.4"));
        AssertState(s, "CRITICAL", "Version mismatch (status: 1.2.3, cluster: 1.2.4)");
        Assert.Equal("1.2.4", s.ClusterVersion);
    }

    [Fact]
    public void Rule4_versions_compare_exactly()
    {
        AssertState(Evaluate(Line("v1", "done"), cluster: ClusterVersionInput.Configured("V1")), "CRITICAL", "Version mismatch (status: v1, cluster: V1)");
    }

    // Rule 5
    [Fact]
    public void Rule5_done_with_the_cluster_version_is_ok_at_any_age()
    {
        var s = Evaluate(Line("1.2.3", "done", 100000), cluster: ClusterVersionInput.Configured("1.2.3"));
        AssertState(s, "OK", "done");
        Assert.Equal("1.2.3", s.ClusterVersion);
    }

    [Fact]
    public void Rule5_done_without_a_cluster_version_is_ok()
    {
        var s = Evaluate(Line("1.2.3", "done", 100000));
        AssertState(s, "OK", "done");
        Assert.Null(s.ClusterVersion);
    }

    // Rule 6
    [Theory]
    [InlineData(300.1, "WARNING", "Too long deploying 1.2.3 (installing foo) 300 > 200")]
    [InlineData(599.9, "WARNING", "Too long deploying 1.2.3 (installing foo) 599 > 200")]
    [InlineData(600.5, "CRITICAL", "Too long deploying 1.2.3 (installing foo) 600 > 600")]
    [InlineData(700.1, "CRITICAL", "Too long deploying 1.2.3 (installing foo) 700 > 600")]
    public void Rule6_in_progress_for_too_long(double age, string state, string message)
    {
        AssertState(Evaluate(Line("1.2.3", "installing foo", age)), state, message);
    }

    [Fact]
    public void Rule6_thresholds_are_exclusive()
    {
        AssertState(Evaluate(Line("1", "installing foo", 200)), "OK", "installing foo");
        AssertState(Evaluate(Line("1", "installing foo", 600)), "WARNING", "Too long deploying 1 (installing foo) 600 > 200");
    }

    [Fact]
    public void Rule6_thresholds_print_as_whole_seconds()
    {
        var t = new DeployThresholds(TimeSpan.FromSeconds(99.9), TimeSpan.FromSeconds(999.9));
        AssertState(Evaluate(Line("1", "installing foo", 700.1), t), "WARNING", "Too long deploying 1 (installing foo) 700 > 99");
    }

    // Rule 7
    [Fact]
    public void Rule7_in_progress_is_ok_with_the_status_as_message()
    {
        var s = Evaluate(Line("1.2.3", "installing foo", 10.25, pid: 4242));
        AssertState(s, "OK", "installing foo");
        Assert.Equal("1.2.3", s.Version);
        Assert.Equal("installing foo", s.AgentStatus);
        Assert.Equal(4242, s.Pid);
        Assert.Equal(Now.AddSeconds(-10.25), s.Time);
        Assert.Equal(TimeSpan.FromSeconds(10.25), s.Age);
    }

    // The cluster version as an input: not configured, configured with a value, configured but missing.
    [Fact]
    public void Cluster_version_not_configured_checks_nothing()
    {
        var s = Evaluate(Line("1.2.3", "done"), cluster: ClusterVersionInput.NotConfigured);
        AssertState(s, "OK", "done");
        Assert.Null(s.ClusterVersion);
    }

    [Fact]
    public void Cluster_version_configured_with_a_value_is_compared()
    {
        AssertState(Evaluate(Line("1.2.3", "done"), cluster: ClusterVersionInput.Configured("1.2.3")), "OK", "done");
        AssertState(Evaluate(Line("1.2.3", "done"), cluster: ClusterVersionInput.Configured("2")), "CRITICAL", "Version mismatch (status: 1.2.3, cluster: 2)");
    }

    [Fact]
    public void Cluster_version_configured_but_missing_is_a_warning()
    {
        var s = Evaluate(Line("1.2.3", "done"), cluster: ClusterVersionInput.Missing);
        AssertState(s, "WARNING", "Cluster version is None");
        Assert.Null(s.ClusterVersion);
        Assert.Equal("1.2.3", s.Version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_configured_source_without_a_value_is_missing(string? value)
    {
        Assert.Equal(ClusterVersionKind.Missing, ClusterVersionInput.Configured(value).Kind);
        AssertState(Evaluate(Line("1", "done"), cluster: ClusterVersionInput.Configured(value)), "WARNING", "Cluster version is None");
    }

    [Fact]
    public void Cluster_version_missing_never_hides_a_worse_state_and_never_passes()
    {
        var missing = ClusterVersionInput.Missing;
        AssertState(Evaluate(Line("1", "installing foo"), cluster: missing), "WARNING", "Cluster version is None");
        AssertState(Evaluate(Line("1", "installing foo", 300.1), cluster: missing), "WARNING", "Too long deploying 1 (installing foo) 300 > 200");
        AssertState(Evaluate(Line("1", "installing foo", 700.1), cluster: missing), "CRITICAL", "Too long deploying 1 (installing foo) 700 > 600");
        AssertState(Evaluate(StatusFileRead.Failed("Permission denied"), cluster: missing), "CRITICAL", $"Cannot read status file {Path}: Permission denied");
    }

    [Theory]
    [InlineData("deploy/cluster/version", "deploy", "cluster", "version")]
    [InlineData("a b/c-d/e.f", "a b", "c-d", "e.f")]
    public void Cluster_version_source_is_store_option_key(string text, string store, string option, string key)
    {
        Assert.Equal(new ClusterVersionSourceSpec(store, option, key), ClusterVersionSourceSpec.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("deploy")]
    [InlineData("deploy/cluster")]
    [InlineData("deploy/cluster/version/x")]
    [InlineData("deploy//version")]
    [InlineData("/cluster/version")]
    [InlineData("deploy/cluster/")]
    [InlineData("deploy/ /version")]
    public void A_cluster_version_source_of_another_form_is_InvalidClusterVersionSource(string? text)
    {
        var e = Assert.Throws<CimaaException>(() => ClusterVersionSourceSpec.Parse(text));
        Assert.Equal("InvalidClusterVersionSource", e.ErrorId);
        Assert.Equal(CimaaErrorCategory.InvalidArgument, e.Category);
        Assert.Equal(text, e.Target);
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains("store/option/key", e.Message);
    }
}

/// <summary>zc.zkdeployment's monitor.txt, rule by rule: the same files give the same messages and exit codes.</summary>
public class DeployStatusMonitorParityTests
{
    private static readonly DateTimeOffset Now = new(2014, 12, 9, 21, 21, 28, TimeSpan.Zero);

    private static (string Message, int ExitCode) Monitor(StatusFileRead file, int warn = 200, int error = 600)
    {
        var s = DeployStatusEvaluator.Evaluate("status", file, Now,
            new DeployThresholds(TimeSpan.FromSeconds(warn), TimeSpan.FromSeconds(error)), ClusterVersionInput.NotConfigured);
        return (s.Message, s.ExitCode);
    }

    private static StatusFileRead Status(string version, string status, double ago = 0) =>
        StatusFileRead.Of($"{(Now.ToUnixTimeMilliseconds() / 1000m - (decimal)ago).ToString(CultureInfo.InvariantCulture)} 42 {version} {status}\n");

    [Fact] public void Done() => Assert.Equal(("done", 0), Monitor(Status("1", "done")));

    [Fact] public void Error() => Assert.Equal(("Error deploying 1", 2), Monitor(Status("1", "error")));

    [Fact] public void In_progress() => Assert.Equal(("installing foo", 0), Monitor(Status("1", "installing foo")));

    [Fact]
    public void Too_long_warning() =>
        Assert.Equal(("Too long deploying 1 (installing foo) 300 > 200", 1), Monitor(Status("1", "installing foo", 300.1)));

    [Fact]
    public void Too_long_critical() =>
        Assert.Equal(("Too long deploying 1 (installing foo) 700 > 600", 2), Monitor(Status("1", "installing foo", 700.1)));

    [Fact]
    public void Custom_thresholds()
    {
        Assert.Equal(("Too long deploying 1 (installing foo) 700 > 99", 1), Monitor(Status("1", "installing foo", 700.1), 99, 999));
        Assert.Equal(("Too long deploying 1 (installing foo) 700 > 199", 2), Monitor(Status("1", "installing foo", 700.1), 99, 199));
    }

    [Fact]
    public void Missing_file()
    {
        using var dir = new Cimaa.Testing.TempDir();
        var path = dir.File("status");
        var s = DeployStatusEvaluator.Check(path, Now, new DeployThresholds(TimeSpan.FromSeconds(99), TimeSpan.FromSeconds(199)),
            ClusterVersionInput.NotConfigured);
        Assert.Equal(($"Cannot read status file {path}: No such file or directory", 2), (s.Message, s.ExitCode));
    }
}
