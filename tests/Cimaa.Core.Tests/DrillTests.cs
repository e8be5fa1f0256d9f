using Cimaa.Faults;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>Reliability drills: the server dies in the middle of a multi-batch write.</summary>
public class DrillTests
{
    private static IReadOnlyDictionary<string, List<ValidFault>> Workload(int agents, int faults) =>
        FaultValidation.Validate(Enumerable.Range(0, agents).Select(i => $"n{i:D3}"),
            Enumerable.Range(0, agents).SelectMany(i => Enumerable.Range(0, faults).Select(j => new FaultInput($"n{i:D3}", $"f{j:D2}", 40, "m", false))), null);

    private static ConnectionSettings On(DynaliteServer server, string prefix, object? factory = null) =>
        TestStores.Dynamo(httpFactory: factory) with { EndpointUrl = server.Endpoint, TablePrefix = prefix, RequestTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Killed_server_mid_write_is_a_clear_error_and_a_rerun_after_restart_converges()
    {
        using var dir = new TempDir();
        var prefix = "drill.";
        using var first = DynaliteServer.Start(dir.Path); // disposed here even when an assertion fails before the restart
        var factory = new FaultInjectingFactory();
        var workload = Workload(agents: 60, faults: 30); // 60 agents x (1 Query + 2 BatchWriteItem, the heartbeat in the second)
        await using (var store = await TestStores.OpenInitialized(On(first, prefix, factory)))
        {
            factory.Handler.OnRequest = n => { if (n == 120) first.Kill(); };
            var e = await Assert.ThrowsAsync<CimaaException>(() => store.Faults.SetAsync(workload, null, OpContext.None));
            Assert.Equal(ErrorIds.DynamoDbUnavailable, e.ErrorId);
            Assert.Matches(@"^error (reading|writing) dynamodb in \d+ tries", e.Message);
        }
        first.Dispose();

        using var second = DynaliteServer.Start(dir.Path);
        await using (var store = StoreFactory.Open(On(second, prefix)))
        {
            // Heartbeat last: every agent that has a heartbeat has all of its faults.
            var heartbeats = await store.Agents.GetAsync(null, OpContext.None).ToListAsync();
            Assert.NotEmpty(heartbeats);
            Assert.True(heartbeats.Count < 60, "the kill came too late to interrupt the write");
            foreach (var h in heartbeats)
            {
                Assert.Equal(30, (await store.Stores.Faults.GetAgentFaultsAsync(h.Agent, OpContext.None).ToListAsync()).Count);
            }

            await store.Faults.SetAsync(workload, null, OpContext.None);
            var all = await store.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync();
            Assert.Equal(60 * 30, all.Count);
            var agents = await store.Agents.GetAsync(null, OpContext.None).ToListAsync();
            Assert.Equal(60, agents.Count);
            var seen = agents.ToDictionary(a => a.Agent, a => a.LastSeen);
            Assert.All(all, f => Assert.True(f.Updated <= seen[f.Agent], $"{f.Agent} heartbeat older than its fault {f.Name}"));
        }
    }
}
