using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Replaces a configuration option, or with -Merge sets only the given keys.</summary>
[Cmdlet(VerbsCommon.Set, "CimaaConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.ConfigOption")]
public sealed class SetCimaaConfigCommand : CimaaCmdlet
{
    private readonly List<(string Store, string Option, OrderedDictionary Values)> _pending = [];
    private CimaaConnection? _connection;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(Completers.ConfigStoreCompleter))]
    public string Store { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(Completers.ConfigOptionCompleter))]
    public string Option { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Values")]
    [ValidateNotNull]
    public IDictionary? Value { get; set; }

    [Parameter]
    public SwitchParameter Merge { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        _connection ??= ResolveConnection();
        try
        {
            _pending.Add((Store, Option, _connection.Client.Config.Validate(Store, Option, (IDictionary)PSValues.Unwrap(Value)!)));
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void EndProcessing()
    {
        if (_connection is not { } connection) return;
        var writes = _pending.Where(p => ShouldProcess($"{p.Store}/{p.Option}",
            Merge ? $"Set {p.Values.Count} keys of the configuration option" : $"Replace the configuration option with {p.Values.Count} keys")).ToList();
        if (writes.Count == 0) return;
        RunBatch(connection, async (op, _) =>
        {
            var stored = new List<object>();
            foreach (var (store, option, values) in writes)
                stored.Add(await connection.Client.Config.SetAsync(store, option, values, Merge, op).ConfigureAwait(false));
            return PassThru ? stored : [];
        });
    }
}
