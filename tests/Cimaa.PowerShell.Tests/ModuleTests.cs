using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public class ModuleTests
{
    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var r = Ps.Run("""
            $m = Get-Module Cimaa
            $defined = $m.ImplementingAssembly.GetTypes().Where({ $_.IsDefined([System.Management.Automation.CmdletAttribute], $false) }).ForEach({
                $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                "$($a.VerbName)-$($a.NounName)"
            })
            [pscustomobject]@{ Defined = [string[]]$defined; Exported = [string[]]$m.ExportedCmdlets.Keys }
            """).ThrowIfFailed();
        var o = r.Output.Single();
        var defined = ((string[])o.Properties["Defined"].Value).Order().ToArray();
        var exported = ((string[])o.Properties["Exported"].Value).Order().ToArray();
        Assert.NotEmpty(defined);
        Assert.Equal(defined, exported);
    }

    [Fact]
    public void Manifest_is_gallery_ready_and_versioned_from_one_place()
    {
        var r = Ps.Run("""
            $m = Get-Module Cimaa
            [pscustomobject]@{
                Version = $m.Version.ToString(); Editions = [string[]]$m.CompatiblePSEditions; PS = $m.PowerShellVersion.ToString()
                Tags = [string[]]$m.Tags; License = [string]$m.LicenseUri; Project = [string]$m.ProjectUri
            }
            """).ThrowIfFailed();
        var o = r.Output.Single();
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        Assert.Contains($"<CimaaVersion>{o.Properties["Version"].Value}</CimaaVersion>", props);
        Assert.Equal(["Core"], (string[])o.Properties["Editions"].Value);
        Assert.Equal("7.4", o.Properties["PS"].Value);
        Assert.Contains("DynamoDB", (string[])o.Properties["Tags"].Value);
        Assert.StartsWith("https://", (string)o.Properties["License"].Value);
        Assert.StartsWith("https://", (string)o.Properties["Project"].Value);
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "Cimaa.psd1"));
        Assert.DoesNotContain("'*'", source);
    }

    [Fact]
    public void Module_root_holds_only_the_manifest_the_cmdlet_dll_the_format_and_types_files_and_help()
    {
        var root = Path.GetDirectoryName(RepoPaths.Module)!;
        var files = Directory.GetFiles(root).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Cimaa.PowerShell.dll", "Cimaa.format.ps1xml", "Cimaa.psd1", "Cimaa.types.ps1xml"], files);
        var dirs = Directory.GetDirectories(root).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["Dependencies", "en-US"], dirs);
        Assert.True(File.Exists(Path.Combine(root, "Dependencies", "Cimaa.Core.dll")));
        Assert.True(File.Exists(Path.Combine(root, "Dependencies", "AWSSDK.Core.dll")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "Dependencies", "runtimes"), "*e_sqlite3*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(root, "Dependencies", "System.Management.Automation.dll")));
    }

    [Fact]
    public void Import_loads_no_AWSSDK_until_a_DynamoDB_connection_is_used()
    {
        var script = """
            Import-Module Cimaa
            function Loaded { [System.AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -like 'AWSSDK*' }).Count }
            $afterImport = Loaded
            Connect-Cimaa -Path $env:CIMAA_TEST_DB
            Initialize-CimaaTable | Out-Null
            $afterSqlite = Loaded
            Connect-Cimaa -EndpointUrl $env:CIMAA_TEST_ENDPOINT -TablePrefix $env:CIMAA_TEST_PREFIX
            Initialize-CimaaTable | Out-Null
            $afterDynamo = Loaded
            "counts=$afterImport,$afterSqlite,$afterDynamo"
            """;
        using var dir = new TempDir();
        var (code, output, error) = PwshProcess.Run(["-Command", script], new Dictionary<string, string>
        {
            ["CIMAA_TEST_DB"] = dir.File("c.db"),
            ["CIMAA_TEST_ENDPOINT"] = DynaliteServer.Shared.Endpoint.ToString(),
            ["CIMAA_TEST_PREFIX"] = "imp" + Guid.NewGuid().ToString("N")[..8],
        });
        Assert.True(code == 0, error);
        var counts = output.Split('\n').Single(l => l.StartsWith("counts=", StringComparison.Ordinal)).Trim()["counts=".Length..].Split(',').Select(int.Parse).ToArray();
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[1]);
        Assert.True(counts[2] >= 2, output);
    }

    [Fact]
    public void Works_beside_an_older_AWSSDK_Core_loaded_first()
    {
        var prefix = "iso" + Guid.NewGuid().ToString("N")[..8];
        var r = Ps.Run("""
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
            Initialize-CimaaTable
            """, new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = prefix }).ThrowIfFailed();
        Assert.NotNull(Ps.PreloadedOldSdk);
        Assert.Equal(3, Ps.PreloadedOldSdk!.GetName().Version!.Major);
        Assert.Equal(6, r.Output.Count);
        var versions = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "AWSSDK.Core")
            .Select(a => a.GetName().Version!.Major).Distinct().Order().ToArray();
        Assert.Equal([3, 4], versions);
    }
}
