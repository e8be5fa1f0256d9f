using System.Diagnostics;
using PuppeteerSharp;

namespace Cimaa.Server.Tests.Browser;

/// <summary>The browser tests share one headless Chromium per test run (this collection), closed and then stopped by its PID.</summary>
[CollectionDefinition(Name)]
public sealed class SharedChromium : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Chromium";
}

/// <summary>
/// Starts the system Chromium: <c>$CHROMIUM_PATH</c>, else <c>chromium</c> or <c>chromium-browser</c> on PATH
/// (<c>tests/browser/install-chromium.sh</c> installs Debian's package; <c>./build.sh test</c> runs it when none is found).
/// Puppeteer's own browser download is never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The bound of every browser step (navigation, evaluation, screenshot).</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public IBrowser Browser { get; private set; } = null!;
    public int Pid { get; private set; }

    /// <summary>out/TestResults under the repository, where the screenshots go.</summary>
    public static string ResultsDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cimaa.sln"))) dir = dir.Parent;
            var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "out", "TestResults");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } env && File.Exists(env)) return env;
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }

    public async Task InitializeAsync()
    {
        var path = FindChromium() ?? throw new InvalidOperationException(
            "No Chromium found for the browser tests: run tests/browser/install-chromium.sh (as root it installs Debian's chromium) or set CHROMIUM_PATH.");
        Browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
            Timeout = (int)StepTimeout.TotalMilliseconds,
        }).WaitAsync(StepTimeout);
        Pid = Browser.Process.Id;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or PuppeteerException or InvalidOperationException)
        {
            // Stopped by its PID below.
        }
        finally
        {
            try
            {
                using var process = Process.GetProcessById(Pid);
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }
}
