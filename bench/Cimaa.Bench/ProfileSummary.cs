using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cimaa.Bench;

/// <summary>
/// Reduces a dotnet-trace thread-time trace (its speedscope form: per thread, the stacks opening and closing over time, the leaf
/// CPU_TIME while managed code runs and UNMANAGED_CODE_TIME while the thread waits or runs native code) to what the time is spent on:
/// the CPU by component (the innermost frame of a known library), the methods longest on the CPU, and the pipeline threads' wall time.
/// </summary>
public static partial class ProfileSummary
{
    private static readonly (string Prefix, string Component)[] Components =
    [
        ("Cimaa.PowerShell!", "Cimaa cmdlets"), ("Cimaa.Core!", "Cimaa.Core"), ("Cimaa.Bench!", "bench harness"), ("Polly", "Polly"),
        ("AWSSDK", "AWS SDK"), ("System.Management.Automation!", "PowerShell"), ("Microsoft.Data.Sqlite!", "SQLite"), ("SQLitePCL", "SQLite"),
        ("System.Net.", ".NET networking"), ("System.Text.Json!", "System.Text.Json"),
    ];

    public static string Summarize(string speedscopePath, int calls)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(speedscopePath));
        var frames = doc.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToArray();
        var cpuIncl = new Dictionary<int, double>();
        var cpuSelf = new Dictionary<int, double>();
        var byComponent = new Dictionary<string, double>();
        var pipelineIncl = new Dictionary<int, double>();
        double cpu = 0, wall = 0, pipelineWall = 0, pipelineCpu = 0;
        foreach (var profile in doc.RootElement.GetProperty("profiles").EnumerateArray())
        {
            var events = profile.GetProperty("events").EnumerateArray()
                .Select(e => (Open: e.GetProperty("type").GetString() == "O", Frame: e.GetProperty("frame").GetInt32(), At: e.GetProperty("at").GetDouble())).ToList();
            var finalizer = profile.GetProperty("name").GetString()?.Contains("Finalizer", StringComparison.Ordinal) == true;
            var pipeline = events.Any(e => frames[e.Frame].Contains("LocalPipeline.InvokeThreadProc", StringComparison.Ordinal));
            var stack = new List<int>();
            double? last = null;
            foreach (var (open, frame, at) in events)
            {
                if (last is { } t && stack.Count > 1)
                {
                    var dt = at - t;
                    var onCpu = frames[stack[^1]] == "CPU_TIME";
                    wall += dt;
                    if (pipeline)
                    {
                        pipelineWall += dt;
                        if (onCpu) pipelineCpu += dt;
                        foreach (var f in stack.Distinct()) pipelineIncl[f] = pipelineIncl.GetValueOrDefault(f) + dt;
                    }
                    if (onCpu)
                    {
                        cpu += dt;
                        foreach (var f in stack.Take(stack.Count - 1).Distinct()) cpuIncl[f] = cpuIncl.GetValueOrDefault(f) + dt;
                        cpuSelf[stack[^2]] = cpuSelf.GetValueOrDefault(stack[^2]) + dt;
                        var component = finalizer ? "finalizer thread" : Enumerable.Range(0, stack.Count - 1).Reverse().Select(i => Component(frames[stack[i]])).FirstOrDefault(c => c is not null) ?? "runtime (GC, JIT, threads)";
                        byComponent[component] = byComponent.GetValueOrDefault(component) + dt;
                    }
                }
                last = at;
                if (open) stack.Add(frame);
                else if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
            }
        }
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"Sampled {wall / 1000:0.0} s of thread time over every thread, {cpu / 1000:0.00} s of it in managed code (running, or ready and waiting for a core on a loaded machine); {calls} calls, so {cpu / calls:0.00} ms of CPU per call."));
        sb.AppendLine().AppendLine("CPU by component (each sample goes to the innermost frame of a known library):").AppendLine();
        sb.AppendLine("| Component | CPU ms per call | Share |").AppendLine("|---|---:|---:|");
        foreach (var (c, t) in byComponent.OrderByDescending(kv => kv.Value)) sb.AppendLine(Inv($"| {c} | {t / calls:0.00} | {100 * t / cpu:0.0}% |"));
        if (pipelineWall > 0)
        {
            sb.AppendLine().AppendLine(Inv($"The pipeline threads (one per call in the harness): {pipelineWall / calls:0.00} ms of wall time per call, {pipelineCpu / calls:0.00} ms of it on the CPU. Wall time per call in:")).AppendLine();
            sb.AppendLine("| Frame on a pipeline thread | ms per call |").AppendLine("|---|---:|");
            foreach (var (f, t) in pipelineIncl.Where(kv => Interesting(frames[kv.Key])).OrderByDescending(kv => kv.Value).Take(12))
                sb.AppendLine(Inv($"| `{Short(frames[f])}` | {t / calls:0.00} |"));
        }
        sb.AppendLine().AppendLine("Methods longest on the CPU, with what they call (library frames only; ms per call):").AppendLine();
        sb.AppendLine("| Method | inclusive | self |").AppendLine("|---|---:|---:|");
        foreach (var (f, t) in cpuIncl.Where(kv => Component(frames[kv.Key]) is not null && !Plumbing(frames[kv.Key])).OrderByDescending(kv => kv.Value).Take(20))
            sb.AppendLine(Inv($"| `{Short(frames[f])}` | {t / calls:0.00} | {cpuSelf.GetValueOrDefault(f) / calls:0.00} |"));
        return sb.ToString();
    }

    private static string? Component(string frame) => Components.FirstOrDefault(c => frame.StartsWith(c.Prefix, StringComparison.Ordinal)).Component;

    /// <summary>Async state machines and wrappers that only pass the time on.</summary>
    private static bool Plumbing(string frame) => frame.Contains("AsyncStateMachineBox", StringComparison.Ordinal) || frame.Contains("AsyncMethodBuilder", StringComparison.Ordinal)
        || frame.Contains("<>c__DisplayClass", StringComparison.Ordinal) || frame.Contains("Bench", StringComparison.Ordinal);

    private static bool Interesting(string frame) => (frame.StartsWith("Cimaa.", StringComparison.Ordinal) && !Plumbing(frame))
        || frame.Contains("Cmdlet.WriteObject", StringComparison.Ordinal) || frame.Contains("ScriptBlock.Compile", StringComparison.Ordinal)
        || frame.Contains("Parser.Parse", StringComparison.Ordinal) || frame.Contains("CommandDiscovery", StringComparison.Ordinal)
        || frame.Contains("ParameterBinderController", StringComparison.Ordinal) || frame.Contains("PipelineProcessor.DoCompleteCore", StringComparison.Ordinal);

    /// <summary>Module!Namespace.Type.Method(args) to Type.Method, generic arity and state machine names kept short.</summary>
    private static string Short(string frame)
    {
        var name = frame[(frame.IndexOf('!') + 1)..];
        var paren = name.IndexOf('(');
        if (paren > 0) name = name[..paren];
        name = Arity().Replace(name, "");
        name = name.Replace("[System.__Canon]", "", StringComparison.Ordinal).Replace("[System.__Canon,System.__Canon]", "", StringComparison.Ordinal);
        var parts = name.Split('.');
        return parts.Length > 3 ? string.Join('.', parts[^3..]) : name;
    }

    [GeneratedRegex(@"`\d+")]
    private static partial Regex Arity();

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
