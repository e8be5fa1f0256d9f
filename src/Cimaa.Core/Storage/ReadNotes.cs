namespace Cimaa.Storage;

/// <summary>
/// The verbose lines both stores write for the reads behind Get-CimaaFault, Get-CimaaAgent and Get-CimaaSquelch, so -Verbose
/// says the same on either store; only the table names differ (<c>faults</c> on SQLite, <c>cimaa.faults</c> on DynamoDB).
/// </summary>
public static class ReadNotes
{
    public static string AgentFaults(string agent, string table) => $"Reading the faults of agent {agent} from table '{table}'";

    public static string Heartbeats(string table) => $"Reading heartbeats from table '{table}'";

    public static string Squelches(string table) => $"Reading squelches from table '{table}'";
}
