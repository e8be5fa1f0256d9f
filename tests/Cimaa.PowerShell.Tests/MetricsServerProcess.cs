using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// The built metrics server (src/Cimaa.Server, the configuration of these tests) as its own process on 127.0.0.1, on an
/// SQLite file, started as the README says. It is a separate process because this one must not load Core beside the module's
/// private copy. Started once healthy (a bounded wait); stopped by its PID on dispose.
/// </summary>
public sealed class MetricsServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private MetricsServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What the server wrote to its console (its log), for failure messages and secret scans.</summary>
    public string Output => string.Join("\n", _output);

    public static async Task<MetricsServerProcess> StartAsync(string db)
    {
        // bin/<Configuration>/net10.0/ of these tests names the configuration of the server build.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "src", "Cimaa.Server", "bin", configuration, "net10.0", "Cimaa.Server.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"The server is not built: {dll}");
        var port = DynaliteServer.FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--db", db, "--urls", $"http://127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("CIMAA_CONFIG");
        psi.Environment.Remove("CIMAA_DB");
        var server = new MetricsServerProcess(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}/"));
        server._process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server.WaitHealthyAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 600 && !_process.HasExited; i++)
        {
            try
            {
                using var check = await http.GetAsync("api/v1/health/check");
                if (check.StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The metrics server did not answer: " + Output);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
