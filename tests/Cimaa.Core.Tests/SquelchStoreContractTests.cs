using Cimaa.Faults;
using Cimaa.Meta;
using Cimaa.Squelches;

namespace Cimaa.Core.Tests;

/// <summary>Squelches and the meta check (ISquelchStore through SquelchService and MetaCheck).</summary>
public abstract class SquelchStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    private SquelchService Squelches => Client.Squelches;

    private Task<Squelch> AddSquelch(string pattern, bool permanent = false, TimeSpan? duration = null, bool force = false, string reason = "maintenance") =>
        Squelches.AddAsync(new SquelchRequest(pattern, reason, "ops", permanent, duration, null, force), Op);

    [Fact]
    public async Task Squelches_are_listed_sorted_with_their_fields()
    {
        await AddSquelch("web.*", permanent: true);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await AddSquelch("^db", duration: TimeSpan.FromHours(1));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var all = await Squelches.GetAllAsync(Op);
        Assert.Equal(["^db", "web.*"], all.Select(s => s.Pattern));
        Assert.Equal((false, TimeSpan.FromMinutes(5), "ops", "maintenance"), (all[0].Permanent, all[0].Age, all[0].User, all[0].Reason));
        Assert.Equal(Clock.GetUtcNow() - TimeSpan.FromMinutes(5) + TimeSpan.FromHours(1), all[0].Expires);
        Assert.Equal((true, (DateTimeOffset?)null, TimeSpan.FromMinutes(15)), (all[1].Permanent, all[1].Expires, all[1].Age));
    }

    [Fact]
    public async Task Existing_pattern_is_SquelchExists_unless_forced()
    {
        await AddSquelch("x", reason: "first");
        var e = await Assert.ThrowsAsync<CimaaException>(() => AddSquelch("x", reason: "second"));
        Assert.Equal((ErrorIds.SquelchExists, "x"), (e.ErrorId, e.Target));
        Assert.Equal("first", Assert.Single(await Squelches.GetAllAsync(Op)).Reason);
        await AddSquelch("x", reason: "second", force: true);
        Assert.Equal("second", Assert.Single(await Squelches.GetAllAsync(Op)).Reason);
    }

    [Fact]
    public async Task Unparsable_pattern_is_InvalidSquelchPattern_and_writes_nothing()
    {
        var e = await Assert.ThrowsAsync<CimaaException>(() => AddSquelch("disk(["));
        Assert.Equal(ErrorIds.InvalidSquelchPattern, e.ErrorId);
        Assert.Empty(await Squelches.GetAllAsync(Op));
    }

    [Fact]
    public async Task Faults_carry_the_first_current_matching_squelch_by_regex_search()
    {
        await SetAsync("web1", ("disk-root", 40, ""), ("Disk-var", 40, ""), ("cpu", 30, ""), ("net-disk", 30, ""));
        await AddSquelch("disk");
        await AddSquelch("^disk-r");
        var faults = await Faults.GetAsync(new FaultQuery(), Op).ToListAsync();
        Assert.Equal(["Disk-var=", "cpu=", "disk-root=^disk-r", "net-disk=disk"], faults.Select(f => $"{f.Name}={f.Squelch}"));
        var unsquelched = await Faults.GetAsync(new FaultQuery(Unsquelched: true), Op).ToListAsync();
        Assert.Equal(["Disk-var", "cpu"], unsquelched.Select(f => f.Name));
    }

    [Fact]
    public async Task Expired_squelch_silences_nothing_but_stays_listed_until_removed()
    {
        await SetAsync("a", ("disk", 40, ""));
        await AddSquelch("disk", duration: TimeSpan.FromMinutes(30));
        Assert.Equal("disk", Assert.Single(await Faults.GetAsync(new FaultQuery(), Op).ToListAsync()).Squelch);
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(Assert.Single(await Faults.GetAsync(new FaultQuery(), Op).ToListAsync()).Squelch);
        var listed = Assert.Single(await Squelches.GetAsync(null, null, expiredOnly: true, Op).ToListAsync());
        Assert.True(listed.IsExpired);
        await Squelches.RemoveAsync("disk", Op);
        Assert.Empty(await Squelches.GetAllAsync(Op));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Squelches.RemoveAsync("disk", Op));
        Assert.Equal(ErrorIds.SquelchNotFound, e.ErrorId);
    }

    [Fact]
    public async Task Squelch_patterns_match_case_sensitively_exact_and_wildcard_alike()
    {
        await AddSquelch("disk.*");
        await AddSquelch("DB");
        string Patterns(IEnumerable<Squelch> s) => string.Join(" ", s.Select(x => x.Pattern));
        Assert.Equal("", Patterns(await Squelches.GetAsync(["DISK.*"], null, false, Op).ToListAsync()));
        Assert.Equal("", Patterns(await Squelches.GetAsync(["D*K*"], null, false, Op).ToListAsync()));
        Assert.Equal("disk.*", Patterns(await Squelches.GetAsync(["d*"], null, false, Op).ToListAsync()));
        Assert.Equal("DB", Patterns(await Squelches.GetAsync(["D*", "db"], null, false, Op).ToListAsync()));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Squelches.RemoveAsync("db", Op));
        Assert.Equal(ErrorIds.SquelchNotFound, e.ErrorId);
        Assert.Equal(2, (await Squelches.GetAllAsync(Op)).Count);
    }

    [Fact]
    public async Task Get_filters_by_exact_pattern_wildcard_and_age()
    {
        await AddSquelch("web[0-9]+");
        Clock.Advance(TimeSpan.FromHours(2));
        await AddSquelch("db.*");
        Assert.Equal(["web[0-9]+"], (await Squelches.GetAsync(["web[0-9]+"], null, false, Op).ToListAsync()).Select(s => s.Pattern));
        Assert.Equal(["db.*"], (await Squelches.GetAsync(["db*"], null, false, Op).ToListAsync()).Select(s => s.Pattern));
        Assert.Equal(["web[0-9]+"], (await Squelches.GetAsync(null, TimeSpan.FromHours(1), false, Op).ToListAsync()).Select(s => s.Pattern));
    }

    [Fact]
    public async Task Meta_check_compares_agent_ages_exactly_not_in_whole_seconds()
    {
        await SetAsync("a");
        Clock.Advance(TimeSpan.FromMilliseconds(2500));
        var faults = await Client.Meta.RunAsync(new MetaCheckOptions(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2400), TimeSpan.FromDays(1)), Op);
        Assert.Equal(["a=40 Inactive agent"], faults.Select(f => $"{f.Name}={f.Severity} {f.Message}"));
        var warn = await Client.Meta.RunAsync(new MetaCheckOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromDays(1)), Op);
        Assert.Equal(["a=30"], warn.Select(f => $"{f.Name}={f.Severity}"));
        Assert.Empty(await Client.Meta.RunAsync(new MetaCheckOptions(TimeSpan.FromMilliseconds(2500), TimeSpan.FromSeconds(3), TimeSpan.FromDays(1)), Op));
    }

    [Fact]
    public async Task Meta_check_reports_stale_agents_and_old_non_permanent_squelches()
    {
        await SetAsync("gone");
        Clock.Advance(TimeSpan.FromSeconds(200));
        await SetAsync("late");
        await AddSquelch("web/1 x", reason: "upgrade");
        await AddSquelch("perm", permanent: true);
        Clock.Advance(TimeSpan.FromSeconds(150));
        await SetAsync("fresh");
        Clock.Advance(TimeSpan.FromMinutes(61));
        await SetAsync("fresh");
        var faults = await Client.Meta.RunAsync(MetaCheckOptions.Default with { Warning = TimeSpan.FromSeconds(120) }, Op);
        // gone: 200+150+3660 s, late: 150+3660 s; both are older than the 300 s error threshold.
        Assert.Equal(["gone=40 Inactive agent", "late=40 Inactive agent", "squelch-web/1%20x=40 Alerts squelched 63 minutes ago by ops because upgrade"],
            faults.Select(f => $"{f.Name}={f.Severity} {f.Message}"));
        Assert.All(faults, f => Assert.Equal(MetaCheck.Agent, f.Agent));
        var warn = await Client.Meta.RunAsync(new MetaCheckOptions(TimeSpan.FromSeconds(120), TimeSpan.FromHours(2), TimeSpan.FromDays(1)), Op);
        Assert.Equal(["gone=30", "late=30"], warn.Select(f => $"{f.Name}={f.Severity}"));
    }
}

public sealed class SqliteSquelchStoreContractTests : SquelchStoreContractTests<SqliteBackend>;

public sealed class DynamoSquelchStoreContractTests : SquelchStoreContractTests<DynamoBackend>;

public class SquelchPatternTests
{
    [Fact]
    public void Catastrophic_backtracking_times_out_as_no_match_with_one_warning()
    {
        var warnings = new List<string>();
        var matcher = new SquelchMatcher([new Squelch { Pattern = "(a+)+$" }], warnings.Add);
        var name = new string('a', 5000) + "!";
        Assert.Null(matcher.Match(name));
        Assert.Null(matcher.Match(name));
        Assert.Single(warnings);
        Assert.Contains("timed out", warnings[0]);
    }

    [Theory]
    [InlineData("(?P<host>web)\\d+-(?P=host)", "web1-web", true)]
    [InlineData("disk", "root-disk-full", true)]
    [InlineData("disk", "DISK", false)]
    [InlineData("^disk$", "disk-x", false)]
    public void Python_search_semantics(string pattern, string name, bool expected) =>
        Assert.Equal(expected, SquelchPattern.Matches(SquelchPattern.Parse(pattern), name, null));

    [Theory]
    [InlineData("web 1/x", "web%201/x")]
    [InlineData("a+b?c=d", "a%2Bb%3Fc%3Dd")]
    [InlineData("x.y_z-~", "x.y_z-~")]
    [InlineData("é", "%C3%A9")]
    public void Url_quote_matches_Python(string text, string expected) => Assert.Equal(expected, MetaCheck.UrlQuote(text));

    [Fact]
    public void Json_is_the_check_protocol_and_nothing_else()
    {
        var json = MetaCheck.ToJson([new Fault { Agent = "//meta", Name = "a\"b", Severity = 40, Message = "Inactive agent" }]);
        Assert.Equal("""{"faults":[{"name":"a\"b","severity":40,"message":"Inactive agent"}]}""", json);
        Assert.Equal("""{"faults":[]}""", MetaCheck.ToJson([]));
    }
}
