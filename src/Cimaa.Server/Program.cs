using Cimaa;
using Cimaa.Server;

// Cimaa's metrics server. `dotnet run --project src/Cimaa.Server -- --help` lists the options; docs/server.md explains them.
if (ServerArguments.WantsHelp(args))
{
    Console.WriteLine(ServerArguments.Usage);
    return 0;
}
ServerOptions options;
try
{
    options = ServerArguments.Parse(args);
}
catch (ServerArgumentException e)
{
    Console.Error.WriteLine("cimaa-server: " + e.Message);
    return 2;
}
// Microsoft.Data.Sqlite's async calls complete synchronously and hold their thread while SQLite works; enough threads up
// front keep concurrent queries on the embedded store from waiting for the thread pool to grow.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
try
{
    await using var app = CimaaServer.Build(options);
    // Runs until SIGINT or SIGTERM; the host then stops accepting, lets in-flight requests finish, and returns.
    await app.RunAsync();
    return 0;
}
catch (CimaaException e)
{
    Console.Error.WriteLine($"cimaa-server: {e.ErrorId}: {e.Message}");
    return 1;
}
catch (IOException e)
{
    // Typically: the address is in use.
    Console.Error.WriteLine($"cimaa-server: cannot listen on {string.Join(", ", options.Urls)}: {e.Message}");
    return 1;
}
