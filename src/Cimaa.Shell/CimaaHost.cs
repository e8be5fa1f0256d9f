using System.Globalization;
using System.Management.Automation.Host;

namespace Cimaa.Shell;

/// <summary>A small non-interactive-friendly PowerShell host: output goes to a TextWriter, exit codes are recorded.</summary>
public sealed class CimaaHost(TextWriter output, TextWriter error, int width = 120, bool interactive = false, bool plainText = true) : PSHost
{
    private readonly HostUserInterface _ui = new(output, error, width, interactive, plainText);

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "CimaaShell";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => typeof(CimaaHost).Assembly.GetName().Version ?? new Version(0, 1);

    /// <summary>The code given to a top-level <c>exit N</c>, if any.</summary>
    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
