using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cimaa.Testing;

/// <summary>
/// One dynalite (in-memory DynamoDB) per test process, on a free loopback port. Drills that need a restart start their own
/// instance on a persistent --path.
/// </summary>
/// <remarks>
/// Every instance is stopped by its PID, whatever ends the test process:
/// <list type="bullet">
/// <item>Dispose kills it (the drills, and any instance whose start failed);</item>
/// <item>on a normal exit, ProcessExit and the default context's Unloading kill every instance still running;</item>
/// <item>when the test process is killed (the test runner kills its test host after a run, on cancel and on a hang), no
/// handler runs: dynalite then stops itself. It is started as <c>node --require tests/dynalite/exit-with-parent.js cli.js</c>
/// with its standard input a pipe whose write end only this process holds, so the pipe closes when this process dies, and
/// the preloaded script exits on end of input (or when its parent pid changes).</item>
/// </list>
/// </remarks>
public sealed class DynaliteServer : IDisposable
{
    private static readonly Lazy<DynaliteServer> SharedInstance = new(() => Start());
    private static readonly HashSet<DynaliteServer> Running = [];
    private readonly Process _process;
    private int _disposed;

    static DynaliteServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        System.Runtime.Loader.AssemblyLoadContext.Default.Unloading += _ => StopAll();
    }

    private DynaliteServer(Process process, int port, string? path)
    {
        _process = process;
        Pid = process.Id;
        Port = port;
        DataPath = path;
        lock (Running) Running.Add(this);
    }

    public static DynaliteServer Shared => SharedInstance.Value;

    public int Pid { get; }
    public int Port { get; }
    public string? DataPath { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts dynalite, in memory or on disk at <paramref name="path"/>, and waits until it answers 'healthy'.</summary>
    public static DynaliteServer Start(string? path = null, int? port = null)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "dynalite");
        var cli = Path.Combine(dir, "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli)) throw new InvalidOperationException($"dynalite is not installed: run 'npm ci' in tests/dynalite ({cli}).");
        for (var attempt = 0; ; attempt++)
        {
            var p = port ?? FreePort();
            var psi = new ProcessStartInfo("node")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "--require", Path.Combine(dir, "exit-with-parent.js"), cli, "--host", "127.0.0.1", "--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture),
                         "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0" })
                psi.ArgumentList.Add(a);
            if (path is not null) { psi.ArgumentList.Add("--path"); psi.ArgumentList.Add(path); }
            var process = Process.Start(psi)!;
            // StandardInput stays open, unwritten, for the life of the server: its end is dynalite's signal to stop.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new DynaliteServer(process, p, path);
            if (server.WaitHealthy(TimeSpan.FromSeconds(15))) return server;
            server.Dispose();
            if (attempt >= 2) throw new InvalidOperationException("dynalite did not become healthy.");
        }
    }

    private static void StopAll()
    {
        DynaliteServer[] running;
        lock (Running) running = [.. Running];
        foreach (var server in running) server.Dispose();
    }

    private bool WaitHealthy(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                var body = http.GetStringAsync(Endpoint).GetAwaiter().GetResult();
                if (body.Contains("healthy", StringComparison.Ordinal)) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Thread.Sleep(50);
        }
        return false;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process at once (the drill's "crash").</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Kills the process and releases it; safe to call more than once, from any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try { Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
        try { _process.StandardInput.Dispose(); } catch (IOException) { }
        _process.Dispose();
        lock (Running) Running.Remove(this);
    }
}

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Module => Path.Combine(Root, "out", "Cimaa", "Cimaa.psd1");

    /// <summary>Above the test binaries: the app's folder, or this assembly's when another host (pwsh) loaded it.</summary>
    private static string FindRoot()
    {
        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(RepoPaths).Assembly.Location) ?? "" };
        foreach (var start in starts.Where(s => s.Length > 0))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cimaa.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root was not found above " + string.Join(" or ", starts));
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimaa-test-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
