using System.Reflection;
using Cimaa.Agents;
using Cimaa.Faults;
using Cimaa.Storage;

namespace Cimaa.Core.Tests;

/// <summary>Faults and agents (IFaultStore through FaultService and AgentService).</summary>
public abstract class FaultStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    private AgentService Agents => Client.Agents;

    private Task<List<Fault>> GetAsync(FaultQuery? q = null) => Faults.GetAsync(q ?? new FaultQuery(), Op).ToListAsync();

    [Fact]
    public async Task Set_then_get_returns_the_faults_sorted_with_since_and_updated_now()
    {
        await SetAsync("web1", ("disk", 40, "disk full"), ("cpu", "Warning", "busy"), ("mem", 55, ""));
        var faults = await GetAsync(new FaultQuery(["web1"]));
        Assert.Equal(["cpu", "disk", "mem"], faults.Select(f => f.Name));
        Assert.Equal([30, 40, 55], faults.Select(f => f.Severity));
        Assert.Equal(["Warning", "Error", "Critical"], faults.Select(f => f.Level));
        Assert.All(faults, f => Assert.Equal(Clock.GetUtcNow(), f.Since));
        Assert.All(faults, f => Assert.Equal(Clock.GetUtcNow(), f.Updated));
        Assert.Equal("", faults[2].Message);
    }

    [Fact]
    public async Task Since_is_kept_across_any_number_of_sets_and_new_faults_get_now()
    {
        var t0 = Clock.GetUtcNow();
        await SetAsync("a", ("disk", 40, "x"));
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(5));
            await SetAsync("a", ("disk", 50, $"worse {i}"), ("net", 30, "slow"));
        }
        var faults = await GetAsync(new FaultQuery(["a"]));
        var disk = faults.Single(f => f.Name == "disk");
        var net = faults.Single(f => f.Name == "net");
        Assert.Equal(t0, disk.Since);
        Assert.Equal(Clock.GetUtcNow(), disk.Updated);
        Assert.Equal((50, "worse 2"), (disk.Severity, disk.Message));
        Assert.Equal(t0 + TimeSpan.FromMinutes(5), net.Since);
    }

    [Fact]
    public async Task Faults_absent_from_the_input_and_severity_zero_are_deleted()
    {
        await SetAsync("a", ("one", 40, ""), ("two", 40, ""), ("three", 40, ""));
        await SetAsync("a", ("one", 40, ""), ("two", 0, "recovered"));
        Assert.Equal(["one"], (await GetAsync(new FaultQuery(["a"]))).Select(f => f.Name));
    }

    [Fact]
    public async Task No_input_clears_the_faults_and_still_writes_the_heartbeat()
    {
        await SetAsync("a", ("one", 40, ""));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SetAsync("a");
        Assert.Empty(await GetAsync(new FaultQuery(["a"])));
        var agent = Assert.Single(await Agents.GetAsync(null, Op).ToListAsync());
        Assert.Equal(("a", Clock.GetUtcNow()), (agent.Agent, agent.LastSeen));
    }

    [Fact]
    public async Task Check_replaces_only_its_own_faults_and_names_unnamed_input()
    {
        await SetAsync("a", ("disk", 40, ""), ("deploy", 40, "old"), ("deploy#web", 30, ""));
        var input = FaultValidation.Validate(["a"], [new FaultInput("a", null, 30, "slow", false), new FaultInput("a", "api", 40, "", false)], "deploy");
        await Faults.SetAsync(input, "deploy", Op);
        Assert.Equal(["deploy", "deploy#api", "disk"], (await GetAsync(new FaultQuery(["a"]))).Select(f => f.Name));
        await Faults.SetAsync(FaultValidation.Validate(["a"], [new FaultInput("a", null, 0, "fine", false)], "deploy"), "deploy", Op);
        Assert.Equal(["disk"], (await GetAsync(new FaultQuery(["a"]))).Select(f => f.Name));
    }

    [Fact]
    public async Task Heartbeat_rows_are_never_emitted_and_all_agents_sort_by_agent_then_name()
    {
        await SetAsync("web2", ("b", 40, ""), ("a", 40, ""));
        await SetAsync("db1", ("z", 30, ""));
        await SetAsync("web1", ("c", 50, ""));
        var all = await GetAsync();
        Assert.Equal(["db1/z", "web1/c", "web2/a", "web2/b"], all.Select(f => $"{f.Agent}/{f.Name}"));
        Assert.DoesNotContain(all, f => f.Agent == "_");
    }

    [Fact]
    public async Task Wildcards_names_and_minimum_severity_filter()
    {
        await SetAsync("web1", ("disk", 40, ""), ("cpu", 30, ""));
        await SetAsync("web2", ("disk", 50, ""));
        await SetAsync("db1", ("disk", 50, ""));
        Assert.Equal(["web1/disk", "web2/disk"], (await GetAsync(new FaultQuery(["web*"], ["d?sk"]))).Select(f => $"{f.Agent}/{f.Name}"));
        Assert.Equal(["db1/disk", "web2/disk"], (await GetAsync(new FaultQuery(MinimumSeverity: 50))).Select(f => $"{f.Agent}/{f.Name}"));
        Assert.Equal(["db1/disk", "web1/cpu"], (await GetAsync(new FaultQuery(["db1", "web1"], ["*"], 0))).Where(f => f.Name != "disk" || f.Agent == "db1").Select(f => $"{f.Agent}/{f.Name}"));
        Assert.Empty(await GetAsync(new FaultQuery(["nobody"])));
    }

    [Fact]
    public async Task Agent_and_fault_names_match_case_sensitively_exact_and_wildcard_alike()
    {
        await SetAsync("web1", ("disk", 40, ""), ("Disk", 30, ""));
        await SetAsync("WEB2", ("disk", 50, ""));
        await SetAsync("Web3", ("DISK", 50, ""));
        string Names(List<Fault> faults) => string.Join(" ", faults.Select(f => $"{f.Agent}/{f.Name}"));
        Assert.Equal("", Names(await GetAsync(new FaultQuery(["WEB1"]))));
        Assert.Equal("web1/Disk web1/disk", Names(await GetAsync(new FaultQuery(["web1"]))));
        Assert.Equal("web1/Disk web1/disk", Names(await GetAsync(new FaultQuery(["web*"]))));
        Assert.Equal("WEB2/disk", Names(await GetAsync(new FaultQuery(["WEB*"]))));
        Assert.Equal("Web3/DISK web1/Disk web1/disk", Names(await GetAsync(new FaultQuery(["?eb[13]"]))));
        Assert.Equal("WEB2/disk web1/disk", Names(await GetAsync(new FaultQuery(Names: ["disk"]))));
        Assert.Equal("Web3/DISK", Names(await GetAsync(new FaultQuery(Names: ["D*K"]))));
        Assert.Equal("web1/Disk", Names(await GetAsync(new FaultQuery(["web1"], ["Di?k"]))));
        Assert.Equal(["web1"], (await Agents.GetAsync(["web1"], Op).ToListAsync()).Select(a => a.Agent));
        Assert.Empty(await Agents.GetAsync(["WEB1", "web2", "web3"], Op).ToListAsync());
        Assert.Equal(["WEB2", "Web3"], (await Agents.GetAsync(["W*"], Op).ToListAsync()).Select(a => a.Agent));
        Assert.Equal(["web1"], (await Agents.GetAsync(["w*"], Op).ToListAsync()).Select(a => a.Agent));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Agents.RemoveAsync("web3", Op));
        Assert.Equal(ErrorIds.AgentNotFound, e.ErrorId);
        await Assert.ThrowsAsync<CimaaException>(() => Faults.RemoveAsync("web1", "DISK", Op));
        Assert.Equal(3, (await GetAsync(new FaultQuery(["web1", "Web3"]))).Count);
    }

    [Fact]
    public async Task Remove_agent_deletes_its_heartbeat_and_faults_and_touches_no_other_agent()
    {
        await SetAsync("a", ("x", 40, ""), ("y", 40, ""));
        await SetAsync("ab", ("x", 40, ""));
        await Agents.RemoveAsync("a", Op);
        Assert.Equal(["ab/x"], (await GetAsync()).Select(f => $"{f.Agent}/{f.Name}"));
        Assert.Empty(await GetAsync(new FaultQuery(["a"])));
        Assert.Equal(["ab"], (await Agents.GetAsync(null, Op).ToListAsync()).Select(a => a.Agent));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Agents.RemoveAsync("a", Op));
        Assert.Equal(ErrorIds.AgentNotFound, e.ErrorId);
    }

    [Fact]
    public async Task Remove_fault_deletes_one_and_reports_a_missing_one()
    {
        await SetAsync("a", ("x", 40, ""), ("y", 40, ""));
        await Faults.RemoveAsync("a", "x", Op);
        Assert.Equal(["y"], (await GetAsync(new FaultQuery(["a"]))).Select(f => f.Name));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Faults.RemoveAsync("a", "x", Op));
        Assert.Equal((ErrorIds.FaultNotFound, "x"), (e.ErrorId, e.Target));
    }

    [Fact]
    public async Task Stale_agents_are_those_older_than_the_cutoff_oldest_first_with_exact_ages()
    {
        await SetAsync("old");
        Clock.Advance(TimeSpan.FromMinutes(10));
        await SetAsync("middle");
        Clock.Advance(TimeSpan.FromMinutes(10));
        await SetAsync("fresh");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var stale = await Agents.GetStaleAsync(TimeSpan.FromMinutes(5), Op).ToListAsync();
        Assert.Equal(["old", "middle"], stale.Select(a => a.Agent));
        Assert.Equal([TimeSpan.FromMinutes(21), TimeSpan.FromMinutes(11)], stale.Select(a => a.Age));
        Assert.Equal(["old"], (await Agents.GetStaleAsync(TimeSpan.FromMinutes(11), Op).ToListAsync()).Select(a => a.Agent));
    }

    private static TimeSpan Seconds(decimal s) => TimeSpan.FromTicks((long)(s * TimeSpan.TicksPerSecond));

    [Fact]
    public async Task Stale_cutoff_is_exact_to_the_tick_not_in_whole_seconds()
    {
        await SetAsync("a"); // the heartbeat is a whole second: the clock starts on one
        Clock.Advance(Seconds(1.9m));
        var stale = Assert.Single(await Agents.GetStaleAsync(TimeSpan.FromSeconds(1), Op).ToListAsync());
        Assert.Equal(("a", Seconds(1.9m)), (stale.Agent, stale.Age));
        Assert.Single(await Agents.GetStaleAsync(Seconds(1.9m) - TimeSpan.FromTicks(1), Op).ToListAsync());
        Assert.Empty(await Agents.GetStaleAsync(Seconds(1.9m), Op).ToListAsync()); // updated == now - OlderThan is not older
        Assert.Empty(await Agents.GetStaleAsync(TimeSpan.FromSeconds(2), Op).ToListAsync());
    }

    [Fact]
    public async Task Fractional_heartbeats_of_other_writers_compare_and_age_exactly()
    {
        var t0 = Epoch.Seconds(Clock.GetUtcNow());
        await SeedHeartbeatAsync("py", t0 + 0.5m);
        await SeedHeartbeatAsync("whole", t0);
        Clock.Advance(Seconds(1.6m));
        var stale = await Agents.GetStaleAsync(TimeSpan.FromSeconds(1), Op).ToListAsync(); // cutoff t0 + 0.6
        Assert.Equal(["whole", "py"], stale.Select(a => a.Agent));
        Assert.Equal([Seconds(1.6m), Seconds(1.1m)], stale.Select(a => a.Age));
        Assert.Equal(Epoch.ToTime(t0) + Seconds(0.5m), stale[1].LastSeen);
        Assert.Equal(["whole"], (await Agents.GetStaleAsync(Seconds(1.2m), Op).ToListAsync()).Select(a => a.Agent)); // cutoff t0 + 0.4
        Assert.Equal([Seconds(1.1m)], (await Agents.GetAsync(["py"], Op).ToListAsync()).Select(a => a.Age));
    }

    [Fact]
    public async Task Agents_are_listed_sorted_and_filtered_by_wildcard()
    {
        foreach (var a in new[] { "web2", "db1", "web1" }) await SetAsync(a);
        Assert.Equal(["db1", "web1", "web2"], (await Agents.GetAsync(null, Op).ToListAsync()).Select(a => a.Agent));
        Assert.Equal(["web1", "web2"], (await Agents.GetAsync(["w*"], Op).ToListAsync()).Select(a => a.Agent));
    }

    [Fact]
    public async Task Heartbeat_is_not_written_when_a_fault_write_fails()
    {
        await SetAsync("a", ("x", 40, ""));
        var before = Assert.Single(await Agents.GetAsync(null, Op).ToListAsync()).LastSeen;
        Clock.Advance(TimeSpan.FromMinutes(5));
        var failing = FailingWrites.Wrap(Client.Stores.Faults);
        await Assert.ThrowsAsync<CimaaException>(() => new FaultService(failing, Client.Squelches, Clock).SetAsync(Input("a", ("y", 40, "")), null, Op));
        Assert.Equal(before, Assert.Single(await Agents.GetAsync(null, Op).ToListAsync()).LastSeen);
    }

    [Fact]
    public async Task Many_agents_write_in_parallel_and_read_back()
    {
        var inputs = FaultValidation.Validate(Enumerable.Range(0, 40).Select(i => $"agent{i:D2}"),
            Enumerable.Range(0, 40).SelectMany(i => Enumerable.Range(0, 30).Select(j => new FaultInput($"agent{i:D2}", $"f{j:D2}", 40, "m", j % 2 == 0))), null);
        await Faults.SetAsync(inputs, null, Op);
        var all = await GetAsync();
        Assert.Equal(1200, all.Count);
        Assert.Equal(600, all.Count(f => f.Triggered));
        Assert.Equal(40, (await Agents.GetAsync(null, Op).ToListAsync()).Count);
        Assert.Contains(Log.Progresses, p => p.Completed);
    }
}

public sealed class SqliteFaultStoreContractTests : FaultStoreContractTests<SqliteBackend>;

public sealed class DynamoFaultStoreContractTests : FaultStoreContractTests<DynamoBackend>;

/// <summary>A store whose fault writes fail, to check that the heartbeat is written last.</summary>
public class FailingWrites : DispatchProxy
{
    private IFaultStore _inner = null!;

    public static IFaultStore Wrap(IFaultStore inner)
    {
        var proxy = Create<IFaultStore, FailingWrites>();
        ((FailingWrites)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IFaultStore.WriteFaultsAsync))
        {
            return Task.FromException(new CimaaException(ErrorIds.ThroughputExceeded, CimaaErrorCategory.LimitsExceeded, "error writing dynamodb in 3 tries"));
        }
        return targetMethod.Invoke(_inner, args);
    }
}
