using System.Globalization;
using System.Text;
using Cimaa.Deploy;
using CsCheck;
using Xunit.Abstractions;

namespace Cimaa.Core.Tests.Deploy;

/// <summary>
/// The evaluator is total: for any content, read failure, time, thresholds and cluster version it returns one of the four
/// states with the matching exit code and severity, and never throws.
/// </summary>
public class DeployStatusPropertyTests(ITestOutputHelper output)
{
    private const int Iterations = 2000;

    private static readonly Gen<DateTimeOffset> AnyTime =
        Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    private static readonly Gen<DateTimeOffset> RecentTime =
        Gen.Long[DateTimeOffset.UnixEpoch.UtcTicks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks]
            .Select(t => new DateTimeOffset(t - t % TimeSpan.TicksPerMillisecond, TimeSpan.Zero));

    private static readonly Gen<TimeSpan> AnySpan = Gen.Long.Select(t => new TimeSpan(t));

    private static readonly Gen<TimeSpan> Threshold = Gen.Int[0, 2000].Select(s => TimeSpan.FromSeconds(s));

    private static readonly Gen<DeployThresholds> Thresholds = Gen.Frequency(
        (4, Gen.Select(Threshold, Threshold, (w, e) => new DeployThresholds(w, e))),
        (1, Gen.Select(AnySpan, AnySpan, (w, e) => new DeployThresholds(w, e))));

    private static readonly Gen<string> Token = Gen.String[Gen.Char.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && !char.IsSurrogate(c)), 1, 12];

    private static readonly Gen<ClusterVersionInput> Cluster = Gen.OneOf(
        Gen.Const(ClusterVersionInput.NotConfigured),
        Gen.Const(ClusterVersionInput.Missing),
        Gen.OneOf(Token, Gen.Const("1.2.3")).Select(ClusterVersionInput.Configured));

    private static readonly Gen<string> StatusText = Gen.OneOf(
        Gen.Const("done"), Gen.Const("error"), Gen.Const("installing foo"),
        Gen.Select(Token, Token, (a, b) => a + " " + b), Token);

    /// <summary>A well-formed line: time (ages from 10 minutes ahead to 10 days old, fractional), pid, version, status.</summary>
    private static readonly Gen<(string Line, DateTimeOffset Now, decimal AgeSeconds, string Version, string Status)> ValidLine =
        Gen.Select(RecentTime, Gen.Decimal[-600m, 864000m], Gen.Int[0, int.MaxValue], Gen.OneOf(Token, Gen.Const("1.2.3")), StatusText)
            .Select(x =>
            {
                var (now, age, pid, version, status) = x;
                age = decimal.Round(age, 3);
                var seconds = now.ToUnixTimeMilliseconds() / 1000m - age;
                return ($"{seconds.ToString(CultureInfo.InvariantCulture)} {pid} {version} {status}\n", now, age, version, status);
            });

    /// <summary>Numbers of any magnitude and form, as a time or pid field.</summary>
    private static readonly Gen<string> AnyNumber = Gen.OneOf(
        Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Decimal.Select(d => d.ToString(CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A valid line with one edit: a character of any kind (control characters included) inserted, replaced or removed.</summary>
    private static readonly Gen<string> EditedLine = Gen.Select(ValidLine, Gen.Int[0, 2], Gen.Double[0, 1], Gen.Char[(char)0, (char)0x9F])
        .Select(x =>
        {
            var ((line, _, _, _, _), edit, where, c) = x;
            var i = (int)(where * (line.Length - 1));
            return edit switch
            {
                0 => line.Insert(i, c.ToString()),
                1 => line.Remove(i, 1).Insert(i, c.ToString()),
                _ => line.Remove(i, 1),
            };
        });

    private static readonly Gen<StatusFileRead> AnyRead = Gen.Frequency(
        (3, ValidLine.Select(v => StatusFileRead.Of(v.Line))),
        (3, EditedLine.Select(StatusFileRead.Of)),
        (2, Gen.String.Select(StatusFileRead.Of)),
        (2, Gen.String[Gen.Char, 0, 80].Select(StatusFileRead.Of)),
        (2, Gen.Byte.Array[0, 200].Select(StatusFileRead.Of)),
        (2, Gen.Byte[0, 127].Array[0, 200].Select(StatusFileRead.Of)),
        (2, Gen.Select(Gen.Int[-1_000_000, 1_000_000], Gen.Int[-1000, 1000], Token, Gen.String,
            (t, pid, v, rest) => StatusFileRead.Of($"{t} {pid} {v} {rest}"))),
        (2, Gen.Select(AnyNumber, AnyNumber, Token, StatusText, (t, pid, v, st) => StatusFileRead.Of($"{t} {pid} {v} {st}"))),
        (1, Gen.Int[StatusFile.MaxBytes - 2, StatusFile.MaxBytes + 1].Select(n => StatusFileRead.Of(new byte[n].Select(_ => (byte)'7').ToArray()))),
        (1, Gen.String.Select(StatusFileRead.Failed)));

    private static void AssertConsistent(DeployStatus s, string path)
    {
        var state = Assert.Single(DeployState.All, x => x.Name == s.State);
        Assert.Equal(state.ExitCode, s.ExitCode);
        Assert.Equal(state.Severity, s.Severity);
        Assert.Equal(state.Level, s.Level);
        Assert.Equal(path, s.Path);
        Assert.NotNull(s.Message);
    }

    [Fact]
    public void Any_input_gives_one_of_the_four_states_and_never_throws()
    {
        var cases = 0;
        Gen.Select(AnyRead, AnyTime, Thresholds, Cluster).Sample((read, now, thresholds, cluster) =>
        {
            Interlocked.Increment(ref cases);
            AssertConsistent(DeployStatusEvaluator.Evaluate("/run/status", read, now, thresholds, cluster), "/run/status");
        }, iter: Iterations);
        output.WriteLine($"{cases} cases");
        Assert.True(cases >= 1000, $"only {cases} cases ran");
    }

    [Fact]
    public void Any_text_or_bytes_parse_to_a_line_or_a_problem()
    {
        var cases = 0;
        Gen.OneOf(Gen.String.Select(s => Encoding.UTF8.GetBytes(s)), EditedLine.Select(s => Encoding.UTF8.GetBytes(s)),
            Gen.Byte.Array[0, 300], Gen.Byte[0, 127].Array[0, 300]).Sample(bytes =>
        {
            Interlocked.Increment(ref cases);
            var parse = StatusLineParser.Parse(bytes);
            Assert.True(parse.Line is null != (parse.Problem is null));
        }, iter: Iterations);
        output.WriteLine($"{cases} cases");
        Assert.True(cases >= 1000, $"only {cases} cases ran");
    }

    [Fact]
    public void A_valid_line_is_never_malformed_unless_it_is_too_far_ahead()
    {
        var cases = 0;
        Gen.Select(ValidLine, Thresholds, Cluster).Sample((line, thresholds, cluster) =>
        {
            Interlocked.Increment(ref cases);
            var s = DeployStatusEvaluator.Evaluate("status", StatusFileRead.Of(line.Line), line.Now, thresholds, cluster);
            AssertConsistent(s, "status");
            if (-line.AgeSeconds > 300)
            {
                Assert.Equal("UNKNOWN", s.State);
                return;
            }
            Assert.NotEqual("UNKNOWN", s.State);
            Assert.Equal(line.Version, s.Version);
            Assert.Equal(line.Status, s.AgentStatus);
            Assert.Equal(TimeSpan.FromTicks((long)(line.AgeSeconds * TimeSpan.TicksPerSecond)), s.Age);
            // The rules' decisive inputs pick the state.
            if (line.Status == "error") Assert.Equal(("CRITICAL", $"Error deploying {line.Version}"), (s.State, s.Message));
            if (line.Status == "done" && cluster.Kind == ClusterVersionKind.Known && cluster.Value != line.Version)
                Assert.Equal("CRITICAL", s.State);
            if (line.Status != "error" && line.Status != "done" && s.Age > thresholds.ErrorAge) Assert.Equal("CRITICAL", s.State);
            if (s.State == "OK") Assert.NotEqual(ClusterVersionKind.Missing, cluster.Kind);
        }, iter: Iterations);
        output.WriteLine($"{cases} cases");
        Assert.True(cases >= 1000, $"only {cases} cases ran");
    }
}
