namespace Cimaa.HelpGen.Tests;

/// <summary>Pages in the form New-MarkdownHelp writes.</summary>
internal static class SamplePages
{
    public const string GetCimaaFault = """
        ---
        external help file: Cimaa.PowerShell.dll-Help.xml
        Module Name: Cimaa
        online version:
        schema: 2.0.0
        ---

        # Get-CimaaFault

        ## SYNOPSIS
        Gets the current faults of agents.

        ## SYNTAX

        ### Default (Default)
        ```
        Get-CimaaFault [[-Agent] <String[]>] [-Name <String[]>] [-Level <String>] [-Connection <CimaaConnection>] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Reads the faults that agents reported and that are not cleared yet.
        Faults are sorted by agent, then by name.

        Use Set-CimaaFault to raise or clear a fault by hand.

        ## EXAMPLES

        ### Example 1: List all faults
        ```powershell
        PS> Get-CimaaFault
        ```

        ```output
        Agent Name  Level Since
        ----- ----  ----- -----
        web1  disk  Error 2026-11-23 10:00:00
        ```

        Lists every fault of every agent.

        ### Example 2: Faults of the web servers
        ```powershell
        PS> Get-CimaaFault -Agent web* -Level Error
        ```

        Wildcards select agents by name.
        Only errors are listed.

        ## PARAMETERS

        ### -Agent
        The agent names. Wildcards are allowed.

        ```yaml
        Type: String[]
        Parameter Sets: (All)
        Aliases: Host

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: True
        ```

        ### -Name
        The fault names.

        ```yaml
        Type: String[]
        Parameter Sets: (All)
        Aliases: FaultName, N

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName, ByValue)
        Accept wildcard characters: False
        ```

        ### -Level
        Only faults of this level.

        ```yaml
        Type: String
        Parameter Sets: (All)
        Aliases:
        Accepted values: Warning, Error

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Connection
        The connection to use instead of the session's default one.

        ```yaml
        Type: CimaaConnection
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: The session's connection
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

        ## INPUTS

        ### System.String
        Agent names, by property name.

        ## OUTPUTS

        ### Cimaa.Fault
        One object per fault.

        ## NOTES
        Cleared faults are kept for a day
        and are not listed.

        ## RELATED LINKS

        [Set-CimaaFault](Set-CimaaFault.md)

        [Cimaa faults](https://example.org/cimaa/faults)
        """;

    public const string ConnectCimaa = """
        ---
        external help file: Cimaa.PowerShell.dll-Help.xml
        Module Name: Cimaa
        online version: https://example.org/cimaa/Connect-Cimaa
        schema: 2.0.0
        ---

        # Connect-Cimaa

        ## SYNOPSIS
        Sets the session's default connection.

        ## SYNTAX

        ### Local (Default)
        ```
        Connect-Cimaa [[-Path] <String>] [-MetricRetention <TimeSpan>] [-PassThru] [<CommonParameters>]
        ```

        ### DynamoDB
        ```
        Connect-Cimaa -Region <String> [-TablePrefix <String>] [-MetricRetention <TimeSpan>] [-PassThru]
         [<CommonParameters>]
        ```

        ### ConfigFile
        ```
        Connect-Cimaa -ConfigFile <String> [-MetricRetention <TimeSpan>] [-PassThru] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Every Cimaa cmdlet without a -Connection argument uses this connection.

        A local connection is an SQLite file & the file is created on first use: <path> must be writable.

        ## EXAMPLES

        ### Example 1: Connect to a local file
        ```powershell
        PS> Connect-Cimaa -Path ./cimaa.db -PassThru
        ```

        ```
        Kind  Target
        ----  ------
        Local ./cimaa.db
        ```

        The file is created if it does not exist.

        ### Example 2: Connect to DynamoDB
        ```powershell
        PS> Connect-Cimaa -Region eu-west-1 -TablePrefix "test" # a <prefix> & more
        ## this comment line is not a heading
        ```

        ## PARAMETERS

        ### -Path
        The SQLite file.

        ```yaml
        Type: String
        Parameter Sets: Local
        Aliases:

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Region
        The AWS region of the DynamoDB tables.

        ```yaml
        Type: String
        Parameter Sets: DynamoDB
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -TablePrefix
        The prefix of the table names.

        ```yaml
        Type: String
        Parameter Sets: DynamoDB
        Aliases:

        Required: False
        Position: Named
        Default value: cimaa
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -ConfigFile
        A zc.cimaa agent INI file.

        ```yaml
        Type: String
        Parameter Sets: ConfigFile
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -MetricRetention
        How long metric datapoints are kept.

        ```yaml
        Type: TimeSpan
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: 30.00:00:00
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -PassThru
        Returns the connection.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

        ## INPUTS

        ### None

        ## OUTPUTS

        ### Cimaa.PowerShell.CimaaConnection
        Returned with -PassThru.

        ## NOTES

        ## RELATED LINKS

        [Get-CimaaConnection](Get-CimaaConnection.md)
        """;
}
