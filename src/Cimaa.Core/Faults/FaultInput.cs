namespace Cimaa.Faults;

/// <summary>
/// One fault as Set-CimaaFault receives it, before validation. Severity may be an integer or a level name; Triggered any of the
/// forms <see cref="FaultValidation.ParseTriggered"/> accepts (CSV and JSON input carry it as a string or a number).
/// </summary>
public sealed record FaultInput(string Agent, string? Name, object? Severity, string? Message, object? Triggered);

/// <summary>A validated fault to store.</summary>
public sealed record ValidFault(string Name, int Severity, string Message, bool Triggered);

/// <summary>Validates Set-CimaaFault input before anything is written.</summary>
public static class FaultValidation
{
    public const int MaxMessageBytes = 100 * 1024;

    /// <summary>
    /// Groups the inputs by agent, applies the -Check naming (no name: C; name N: C#N unless it already is C or starts with C#),
    /// and throws InvalidFault for the first bad input. Agents named with no input keep an empty list (their faults are cleared).
    /// </summary>
    public static IReadOnlyDictionary<string, List<ValidFault>> Validate(IEnumerable<string> agents, IEnumerable<FaultInput> inputs, string? check)
    {
        var result = new SortedDictionary<string, List<ValidFault>>(StringComparer.Ordinal);
        foreach (var agent in agents) result.TryAdd(CheckAgent(agent), []);
        foreach (var input in inputs)
        {
            var list = result.TryGetValue(CheckAgent(input.Agent), out var l) ? l : result[input.Agent] = [];
            var name = ScopedName(input.Name, check);
            if (string.IsNullOrEmpty(name)) throw Invalid($"A fault of agent '{input.Agent}' has an empty name.", input);
            var severity = Severities.Parse(input.Severity is string { Length: 0 } ? null : input.Severity)
                ?? throw Invalid($"The severity '{input.Severity}' of fault '{name}' is not an integer or a level name (OK, Warning, Error, Critical).", input);
            var message = input.Message ?? "";
            if (System.Text.Encoding.UTF8.GetByteCount(message) > MaxMessageBytes)
                throw Invalid($"The message of fault '{name}' is over {MaxMessageBytes / 1024} KB.", input);
            var triggered = ParseTriggered(input.Triggered)
                ?? throw Invalid($"The Triggered value '{input.Triggered}' of fault '{name}' is not one of $true/$false, 'True'/'False', 'y'/'' or 1/0.", input);
            if (list.Any(f => f.Name == name))
                throw Invalid($"The fault '{name}' of agent '{input.Agent}' is given twice.", input);
            list.Add(new ValidFault(name, severity, message, triggered));
        }
        return result;
    }

    /// <summary>
    /// Triggered as people and files give it: a boolean; the strings 'True'/'False' (any case, as Export-Csv writes them),
    /// 'y'/'' (zc.cimaa's stored form, 'y' in any case) and '1'/'0'; the numbers 1 and 0; or null (absent: false). Strings are
    /// trimmed. Null for anything else, which is an invalid fault.
    /// </summary>
    public static bool? ParseTriggered(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "Y" or "1" => true,
            "FALSE" or "" or "0" => false,
            _ => null,
        },
        int or long or short or sbyte or byte or uint or ulong or ushort or decimal or double or float =>
            Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) switch { 1 => true, 0 => false, _ => null },
        _ => null,
    };

    /// <summary>True when a stored fault belongs to the check: named C, or starting with C#.</summary>
    public static bool InCheck(string name, string check) => name == check || name.StartsWith(check + "#", StringComparison.Ordinal);

    private static string? ScopedName(string? name, string? check)
    {
        if (check is null) return name;
        if (string.IsNullOrEmpty(name)) return check;
        return InCheck(name, check) ? name : check + "#" + name;
    }

    private static string CheckAgent(string? agent)
    {
        if (string.IsNullOrEmpty(agent)) throw Invalid("The agent name is empty.", agent);
        if (agent == Storage.FaultLayout.HeartbeatAgent) throw Invalid("The agent name '_' is reserved for heartbeat rows.", agent);
        return agent;
    }

    private static CimaaException Invalid(string message, object? target) =>
        new(ErrorIds.InvalidFault, CimaaErrorCategory.InvalidArgument, message, target);
}
