using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cimaa.Testing;

/// <summary>
/// One dynalite (in-memory DynamoDB) per test process, on a free loopback port. It is stopped when the process exits.
/// Drills that need a restart start their own instance on a persistent --path.
/// </summary>
public sealed class DynaliteServer : IDisposable
{
    private static readonly Lazy<DynaliteServer> SharedInstance = new(() => Start());
    private readonly Process _process;

    private DynaliteServer(Process process, int port, string? path)
    {
        _process = process;
        Port = port;
        DataPath = path;
    }

    public static DynaliteServer Shared => SharedInstance.Value;

    public int Port { get; }
    public string? DataPath { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts dynalite, in memory or on disk at <paramref name="path"/>, and waits until it answers 'healthy'.</summary>
    public static DynaliteServer Start(string? path = null, int? port = null)
    {
        var cli = Path.Combine(RepoPaths.Root, "tests", "dynalite", "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli)) throw new InvalidOperationException($"dynalite is not installed: run 'npm ci' in tests/dynalite ({cli}).");
        for (var attempt = 0; ; attempt++)
        {
            var p = port ?? FreePort();
            var psi = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { cli, "--host", "127.0.0.1", "--port", p.ToString(), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0" })
                psi.ArgumentList.Add(a);
            if (path is not null) { psi.ArgumentList.Add("--path"); psi.ArgumentList.Add(path); }
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new DynaliteServer(process, p, path);
            if (server.WaitHealthy(TimeSpan.FromSeconds(15)))
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
                return server;
            }
            server.Dispose();
            if (attempt >= 2) throw new InvalidOperationException("dynalite did not become healthy.");
        }
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

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Module => Path.Combine(Root, "out", "Cimaa", "Cimaa.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cimaa.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
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
