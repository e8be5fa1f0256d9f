using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>
/// Writes an export file: the header, one line per record, and an end line with the counts. Everything goes to a temporary
/// file in the target's folder (mode 0600 on Unix, since the file holds the database), which <see cref="Commit"/> renames to
/// the target; disposing without a commit deletes it, so a failed or cancelled export never leaves a file under the name asked
/// for and never touches an existing one. A name ending in <c>.gz</c> is written gzip-compressed.
/// </summary>
public sealed class ExportWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _path;
    private readonly bool _force;
    private readonly ExportHeader _header;
    private readonly FileStream _file;
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private bool _committed;
    private bool _closed;

    private ExportWriter(string path, string temp, bool force, ExportHeader header, FileStream file)
    {
        _path = path;
        TempPath = temp;
        _force = force;
        _header = header;
        _file = file;
        _stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : file;
        _json = new Utf8JsonWriter(_stream, JsonOptions);
    }

    /// <summary>The file being written until the commit.</summary>
    public string TempPath { get; }

    public ExportCounts Counts { get; } = new();

    /// <summary>
    /// Starts an export to <paramref name="path"/>. An existing target without <paramref name="force"/> is ExportFileExists
    /// (checked now, and again by the rename); a missing folder or a target that is a folder is ExportFileError.
    /// </summary>
    public static ExportWriter Create(string path, ExportHeader header, bool force)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw FileError(path, CimaaErrorCategory.InvalidArgument, "it is a folder.");
        if (!force && File.Exists(full)) throw Exists(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw FileError(path, CimaaErrorCategory.ObjectNotFound, $"the folder '{dir}' does not exist.");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        FileStream file;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 64 * 1024 };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            file = new FileStream(temp, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileError(path, e is UnauthorizedAccessException ? CimaaErrorCategory.PermissionDenied : CimaaErrorCategory.WriteError, e.Message, e);
        }
        var writer = new ExportWriter(full, temp, force, header, file);
        try
        {
            ExportRecordJson.WriteHeader(writer._json, header);
            writer.EndLine();
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        return writer;
    }

    public void Write(FaultRecord record) => Line(ExportTable.Faults, w => ExportRecordJson.Write(w, record));

    public void Write(HeartbeatRecord record) => Line(ExportTable.Heartbeats, w => ExportRecordJson.Write(w, record));

    public void Write(SquelchRecord record) => Line(ExportTable.Squelches, w => ExportRecordJson.Write(w, record));

    public void Write(ConfigOption record) => Line(ExportTable.Config, w => ExportRecordJson.Write(w, record));

    public void Write(MetricPointRecord record) => Line(ExportTable.Metrics, w => ExportRecordJson.Write(w, record));

    public void Write(ExportedAccessKey record) => Line(ExportTable.AccessKeys, w => ExportRecordJson.Write(w, record));

    /// <summary>Writes the end line, flushes to disk and renames the file to the target.</summary>
    public void Commit()
    {
        if (_closed) throw new InvalidOperationException("The export is already closed.");
        try
        {
            ExportRecordJson.WriteEnd(_json, _header.Tables, Counts);
            EndLine();
            _json.Dispose();
            if (!ReferenceEquals(_stream, _file)) _stream.Dispose();
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _closed = true;
            Rename();
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileError(_path, CimaaErrorCategory.WriteError, e.Message, e);
        }
        finally
        {
            if (!_committed) Dispose();
        }
    }

    /// <summary>Without -Force the rename itself refuses a target that appeared meanwhile.</summary>
    private void Rename()
    {
        try
        {
            File.Move(TempPath, _path, overwrite: _force);
        }
        catch (IOException) when (!_force && File.Exists(_path))
        {
            throw Exists(_path);
        }
    }

    /// <summary>Without a commit: closes and deletes the temporary file. The target is untouched.</summary>
    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            try
            {
                _json.Dispose();
                if (!ReferenceEquals(_stream, _file)) _stream.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The file is deleted below; what it could not flush does not matter.
            }
            _file.Dispose();
        }
        if (!_committed)
        {
            try { File.Delete(TempPath); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private void Line(ExportTable table, Action<Utf8JsonWriter> write)
    {
        if (_closed) throw new InvalidOperationException("The export is already closed.");
        write(_json);
        EndLine();
        Counts.Add(table);
    }

    private void EndLine()
    {
        try
        {
            _json.Flush();
            _json.Reset();
            _stream.WriteByte((byte)'\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileError(_path, CimaaErrorCategory.WriteError, e.Message, e);
        }
    }

    private static CimaaException Exists(string path) =>
        new(ExportErrorIds.ExportFileExists, CimaaErrorCategory.ResourceExists, $"The file '{path}' exists; use -Force to replace it.", path);

    private static CimaaException FileError(string path, CimaaErrorCategory category, string why, Exception? inner = null) =>
        new(ExportErrorIds.ExportFileError, category, $"Cannot write '{path}': {why}", path, inner);
}
