namespace Cimaa.Storage;

/// <summary>The tables (or SQLite schema) of one backend.</summary>
public interface ITableStore
{
    /// <summary>Creates what is missing, validates what exists, and reports one status per table.</summary>
    IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op);
}
