using System.Collections.Specialized;
using System.Management.Automation;
using Cimaa.Config;

namespace Cimaa.PowerShell.Commands;

/// <summary>Gets options of a configuration store (dynamodb-config-store layout), optionally from a time-based cache.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaConfig")]
[OutputType("Cimaa.ConfigOption")]
[OutputType(typeof(OrderedDictionary))]
public sealed class GetCimaaConfigCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.ConfigStoreCompleter))]
    public string Store { get; set; } = "";

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.ConfigOptionCompleter))]
    public string[]? Option { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Key { get; set; }

    /// <summary>Serve from the cache of the whole store while it is younger than this. A number means seconds.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan MaxAge { get; set; }

    [Parameter]
    public SwitchParameter ConsistentRead { get; set; }

    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        TimeSpan? maxAge = MyInvocation.BoundParameters.ContainsKey(nameof(MaxAge)) ? MaxAge : null;
        var query = new ConfigQuery(Store, Option, Key, maxAge, ConsistentRead);
        var byOption = AsHashtable && Option is null;
        Run(async pump =>
        {
            var service = connection.Client.Config;
            var all = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            await foreach (var option in service.GetAsync(query, pump.Error, pump.Context).WithCancellation(pump.Context.Token).ConfigureAwait(false))
            {
                if (!AsHashtable) pump.Emit(option);
                else if (!byOption) pump.Emit(option.Values);
                else if (all.Contains(option.Option)) pump.Warning($"The option '{option.Option}' differs only in case from another option and is left out of the hashtable.");
                else all.Add(option.Option, option.Values);
            }
            if (byOption) pump.Emit(all);
        });
    }
}
