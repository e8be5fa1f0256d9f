using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Server.Tests;

/// <summary>
/// The built server as its own process, started the way the README says, on an SQLite file: it answers, and it stops cleanly
/// (exit code 0) on SIGTERM and SIGINT with what it wrote kept. Every process is stopped by its PID on dispose.
/// </summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<string> _output = new();

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        _dir.Dispose();
    }

    private Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir.Path,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cimaa.Server.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("CIMAA_CONFIG");
        psi.Environment.Remove("CIMAA_DB");
        var process = Process.Start(psi)!;
        _processes.Add(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Theory]
    [InlineData(15)] // SIGTERM
    [InlineData(2)] // SIGINT
    public async Task The_server_starts_on_an_SQLite_file_answers_and_stops_cleanly_on_a_signal(int signal)
    {
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "signals are sent with kill(2)");
        var port = DynaliteServer.FreePort();
        var db = _dir.File("cimaa.db");
        var process = Start("--db", db, "--anonymous", "default:rw", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var healthy = false;
        for (var i = 0; i < 600 && !healthy && !process.HasExited; i++)
        {
            try
            {
                using var check = await http.GetAsync("/api/v1/health/check");
                healthy = check.StatusCode == HttpStatusCode.NoContent;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(healthy, "the server did not answer: " + string.Join("\n", _output));
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        using (var write = await http.PostAsync("/api/v1/datapoints", Api.Json($$"""[{"name":"process.kept","timestamp":{{t}},"value":1}]""")))
            Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);

        Assert.Equal(0, kill(process.Id, signal));
        Assert.True(process.WaitForExit(60_000), "the server did not stop: " + string.Join("\n", _output));
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains(_output, l => l.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.Contains(_output, l => l.Contains("POST /api/v1/datapoints 204", StringComparison.Ordinal));

        await using var store = StoreFactory.Open(new ConnectionSettings { Kind = StoreKind.Local, Path = db });
        var names = new List<string>();
        await foreach (var n in store.Metrics.GetNamesAsync("default", OpContext.None)) names.Add(n);
        Assert.Equal(["process.kept"], names);
    }

    [Fact]
    public void A_bad_command_line_exits_2_a_store_that_cannot_open_exits_1_and_help_exits_0()
    {
        var bad = Start("--anonymous", "web:x");
        Assert.True(bad.WaitForExit(60_000));
        bad.WaitForExit();
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(_output, l => l.Contains("'web:x' is not a permission", StringComparison.Ordinal));

        var missing = Start("--db", Path.Combine(_dir.Path, "no-such-folder", "cimaa.db"));
        Assert.True(missing.WaitForExit(60_000));
        missing.WaitForExit();
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(_output, l => l.Contains("InvalidConnection", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));

        var help = Start("--help");
        Assert.True(help.WaitForExit(60_000));
        help.WaitForExit();
        Assert.Equal(0, help.ExitCode);
        Assert.Contains(_output, l => l.Contains("--max-body-bytes", StringComparison.Ordinal));
    }
}
