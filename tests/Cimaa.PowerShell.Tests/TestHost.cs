using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// A small non-interactive PowerShell host for the hosted-engine tests: host output (Out-Default, What if: text) goes to a
/// TextWriter as plain text, and prompts are refused with a message that names -Confirm:$false.
/// </summary>
public sealed class TestHost(TextWriter output, TextWriter error, int width = 120) : PSHost
{
    private readonly TestHostUserInterface _ui = new(output, error, width);

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "CimaaTestHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new(1, 0);

    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

internal sealed partial class TestHostUserInterface(TextWriter output, TextWriter error, int width) : PSHostUserInterface
{
    private readonly TestHostRawUserInterface _raw = new(width);

    public override PSHostRawUserInterface RawUI => _raw;

    public override void Write(string value) => output.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(Plain(value));
    public override void WriteLine(string value) => output.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => error.WriteLine(Plain(value));
    public override void WriteDebugLine(string message) => error.WriteLine("DEBUG: " + Plain(message));
    public override void WriteVerboseLine(string message) => error.WriteLine("VERBOSE: " + Plain(message));
    public override void WriteWarningLine(string message) => error.WriteLine("WARNING: " + Plain(message));
    public override void WriteProgress(long sourceId, ProgressRecord record) { }

    private static string Plain(string value) => value.Contains('\u001b') ? AnsiEscape().Replace(value, "") : value;

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    public override string ReadLine() => throw NotInteractive();
    public override SecureString ReadLineAsSecureString() => throw NotInteractive();
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw NotInteractive();
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();

    private static PSInvalidOperationException NotInteractive() =>
        new("The host is not interactive: pass -Confirm:$false, or give every mandatory parameter.");
}

internal sealed class TestHostRawUserInterface(int width) : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get; set; } = new(width, 9999);
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; }
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(width, 100);
    public override Size MaxWindowSize => new(width, 100);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get; set; } = new(width, 100);
    public override string WindowTitle { get; set; } = "Cimaa";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
