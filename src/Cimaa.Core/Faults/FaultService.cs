using Cimaa.Squelches;
using Cimaa.Storage;

namespace Cimaa.Faults;

/// <summary>What Get-CimaaFault asks for. Agent and Name patterns may hold wildcards.</summary>
public sealed record FaultQuery(IReadOnlyList<string>? Agents = null, IReadOnlyList<string>? Names = null, int? MinimumSeverity = null,
    bool Unsquelched = false);

/// <summary>
/// The fault rules, above the stores: since preservation, replace-the-set semantics, -Check scoping, heartbeat written last.
/// </summary>
public sealed class FaultService(IFaultStore store, SquelchService squelches, TimeProvider clock)
{
    /// <summary>How many agents' queries run ahead of the one being emitted.</summary>
    private const int ReadAhead = 8;

    /// <summary>Streams faults sorted by agent then name. Agents without wildcards are queried directly; otherwise the heartbeats list them.</summary>
    public IAsyncEnumerable<Fault> GetAsync(FaultQuery query, OpContext op) => GetAsync(query, null, op);

    /// <summary>As <see cref="GetAsync(FaultQuery, OpContext)"/>, keeping only faults whose name the regex finds (Test-CimaaSquelch).</summary>
    public async IAsyncEnumerable<Fault> GetAsync(FaultQuery query, System.Text.RegularExpressions.Regex? nameRegex, OpContext op)
    {
        var nameMatch = Wildcard.AnyOf(query.Names);
        var matcher = await squelches.MatcherAsync(op).ConfigureAwait(false);
        var agents = await AgentNamesAsync(query.Agents, op).ConfigureAwait(false);
        var batches = agents.SelectOrderedAsync(ReadAhead, (agent, ct) => store.GetAgentFaultsAsync(agent, op with { Token = ct }).ToListAsync(ct), op.Token);
        await foreach (var faults in batches.WithCancellation(op.Token).ConfigureAwait(false))
        {
            foreach (var record in faults)
            {
                if (!nameMatch(record.Name)) continue;
                if (nameRegex is not null && !SquelchPattern.Matches(nameRegex, record.Name, op.Log.Warning)) continue;
                if (query.MinimumSeverity is { } min && record.Severity < min) continue;
                var squelch = matcher.Match(record.Name);
                if (query.Unsquelched && squelch is not null) continue;
                yield return Fault.From(record, squelch);
            }
        }
    }

    /// <summary>The agents to read, sorted: exact names as given, wildcard patterns (or none) resolved through the heartbeats.</summary>
    private async Task<List<string>> AgentNamesAsync(IReadOnlyList<string>? patterns, OpContext op)
    {
        var exact = new SortedSet<string>(StringComparer.Ordinal);
        var wildcards = new List<Wildcard>();
        foreach (var p in patterns ?? [])
        {
            var w = new Wildcard(p);
            if (w.IsWildcard) wildcards.Add(w);
            else if (w.Literal != FaultLayout.HeartbeatAgent) exact.Add(w.Literal);
        }
        if (patterns is null || patterns.Count == 0 || wildcards.Count > 0)
        {
            await foreach (var h in store.GetHeartbeatsAsync(op).ConfigureAwait(false))
            {
                if (wildcards.Count == 0 || wildcards.Any(w => w.IsMatch(h.Agent))) exact.Add(h.Agent);
            }
        }
        return exact.ToList();
    }

    /// <summary>
    /// Replaces each agent's faults (or, with a check, the check's faults) with the validated input, and then writes the heartbeat.
    /// Returns the stored faults, per agent in agent order.
    /// </summary>
    public async Task<IReadOnlyList<Fault>> SetAsync(IReadOnlyDictionary<string, List<ValidFault>> byAgent, string? check, OpContext op)
    {
        var now = Epoch.Now(clock);
        var done = 0;
        var results = new List<Fault>[byAgent.Count];
        var agents = byAgent.Keys.ToArray();
        const string activity = "Set-CimaaFault";
        await Parallel.ForEachAsync(Enumerable.Range(0, agents.Length),
            new ParallelOptions { MaxDegreeOfParallelism = store.WriteConcurrency, CancellationToken = op.Token },
            async (i, ct) =>
            {
                results[i] = await SetAgentAsync(agents[i], byAgent[agents[i]], check, now, op with { Token = ct }).ConfigureAwait(false);
                var n = Interlocked.Increment(ref done);
                if (agents.Length > 1 && (n % 50 == 0 || n == agents.Length))
                    op.Log.Progress(new ProgressReport(2, activity, $"{n} of {agents.Length} agents written", n * 100 / agents.Length));
            }).ConfigureAwait(false);
        if (agents.Length > 1) op.Log.Progress(new ProgressReport(2, activity, "Done", 100, Completed: true));
        return results.SelectMany(r => r).ToList();
    }

    private async Task<List<Fault>> SetAgentAsync(string agent, List<ValidFault> input, string? check, long now, OpContext op)
    {
        var stored = new Dictionary<string, FaultRecord>(StringComparer.Ordinal);
        await foreach (var f in store.GetAgentFaultsAsync(agent, op).ConfigureAwait(false)) stored[f.Name] = f;
        var puts = new List<FaultRecord>();
        foreach (var f in input)
        {
            if (f.Severity == Severities.OK) continue;
            var since = stored.TryGetValue(f.Name, out var old) ? old.Since : now;
            puts.Add(new FaultRecord(agent, f.Name, f.Severity, f.Message, since, now, f.Triggered));
        }
        var kept = puts.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var deletes = stored.Keys.Where(n => !kept.Contains(n) && (check is null || FaultValidation.InCheck(n, check))).ToList();
        op.Log.Verbose($"Agent {agent}: writing {puts.Count} faults, deleting {deletes.Count}");
        // The heartbeat goes last, only after every fault write succeeded: the agent never looks fresh with half-written faults.
        await store.WriteFaultsAsync(agent, puts, deletes, heartbeat: now, op).ConfigureAwait(false);
        return puts.Select(p => Fault.From(p)).ToList();
    }

    /// <summary>Deletes one fault; throws FaultNotFound (for a non-terminating error) when it does not exist.</summary>
    public async Task RemoveAsync(string agent, string name, OpContext op)
    {
        if (!await store.DeleteFaultAsync(agent, name, op).ConfigureAwait(false))
        {
            throw new CimaaException(ErrorIds.FaultNotFound, CimaaErrorCategory.ObjectNotFound,
                $"Agent '{agent}' has no fault named '{name}'.", name);
        }
    }
}
