using Cimaa.Storage;

namespace Cimaa.Agents;

/// <summary>Heartbeats: listing, stale agents, removal.</summary>
public sealed class AgentService(IFaultStore store, TimeProvider clock)
{
    /// <summary>Agents matching any pattern (all when none), sorted by name.</summary>
    public async IAsyncEnumerable<Agent> GetAsync(IReadOnlyList<string>? patterns, OpContext op)
    {
        var match = Wildcard.AnyOf(patterns);
        var now = clock.GetUtcNow();
        await foreach (var h in store.GetHeartbeatsAsync(op).ConfigureAwait(false))
        {
            if (match(h.Agent)) yield return Agent.From(h, now);
        }
    }

    /// <summary>
    /// Agents whose heartbeat is older than <paramref name="olderThan"/>: updated &lt; now - olderThan, compared exactly (to the
    /// tick, not in whole seconds), as zc.cimaa's old_agents does. Oldest first.
    /// </summary>
    public async IAsyncEnumerable<Agent> GetStaleAsync(TimeSpan olderThan, OpContext op)
    {
        var now = clock.GetUtcNow();
        var cutoff = Epoch.ExactSeconds(now) - (decimal)olderThan.Ticks / TimeSpan.TicksPerSecond;
        await foreach (var h in store.GetHeartbeatsBeforeAsync(cutoff, op).ConfigureAwait(false)) yield return Agent.From(h, now);
    }

    /// <summary>Deletes the heartbeat and every fault of the agent; AgentNotFound when there was nothing.</summary>
    public async Task RemoveAsync(string agent, OpContext op)
    {
        if (string.IsNullOrEmpty(agent) || agent == FaultLayout.HeartbeatAgent)
        {
            throw new CimaaException(ErrorIds.InvalidAgent, CimaaErrorCategory.InvalidArgument, $"'{agent}' is not an agent name.", agent);
        }
        if (!await store.DeleteAgentAsync(agent, op).ConfigureAwait(false))
        {
            throw new CimaaException(ErrorIds.AgentNotFound, CimaaErrorCategory.ObjectNotFound, $"There is no agent named '{agent}'.", agent);
        }
    }
}
