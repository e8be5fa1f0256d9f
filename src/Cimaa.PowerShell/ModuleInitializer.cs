using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Cimaa.PowerShell;

/// <summary>
/// Loads Cimaa.Core and every third-party assembly from Dependencies/ into one private AssemblyLoadContext,
/// so that the module can share a session with other modules that bring their own AWSSDK or SQLite.
/// Only this assembly lives in the default context; it reaches Cimaa.Core through the Resolving event.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies");

    private static readonly DependencyLoadContext Context = new(DependencyFolder);

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveCore;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveCore;

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "Cimaa.Core" ? Context.LoadFromAssemblyName(name) : null;
}

/// <summary>The private context: managed assemblies and native libraries from Dependencies/.</summary>
internal sealed class DependencyLoadContext(string folder) : AssemblyLoadContext("Cimaa")
{
    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate)) return LoadUnmanagedDllFromPath(candidate);
        }
        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        string[] files = [name, $"lib{name}.so", $"lib{name}.dylib", $"{name}.dll"];
        foreach (var dir in new[]
                 {
                     Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"),
                     Path.Combine(folder, "runtimes", PortableRid(), "native"),
                     folder,
                 })
        {
            foreach (var file in files) yield return Path.Combine(dir, file);
        }
    }

    private static string PortableRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : IsMusl() ? "linux-musl" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }

    private static bool IsMusl() =>
        OperatingSystem.IsLinux() && RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
}
