using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Polly;
using Polly.Retry;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// The one retry layer: every DynamoDB request goes through here. It retries throttling, 5xx and transient network errors
/// with exponential backoff and full jitter, up to MaxReadAttempts or MaxWriteAttempts attempts, writes one warning per retry
/// naming its cause (<see cref="RetryCause"/>), counts every attempt, and turns the final failure into a CimaaException.
/// </summary>
internal sealed class DynamoCaller
{
    private static readonly ResiliencePropertyKey<OpContext> OpKey = new("cimaa.op");
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "Throttling",
    };

    private readonly ResiliencePipeline _read;
    private readonly ResiliencePipeline _write;
    private readonly ConnectionSettings _settings;
    private readonly RequestCounter _counter;
    private readonly Lazy<string> _endpoint;

    /// <param name="endpoint">The endpoint as retry warnings name it (asked for only when one is written).</param>
    public DynamoCaller(ConnectionSettings settings, RequestCounter counter, Func<string> endpoint)
    {
        _settings = settings;
        _counter = counter;
        _endpoint = new Lazy<string>(endpoint);
        _read = Build(settings.MaxReadAttempts);
        _write = Build(settings.MaxWriteAttempts);
    }

    public Task<T> ReadAsync<T>(string operation, string table, Func<CancellationToken, Task<T>> call, OpContext op) =>
        RunAsync(_read, "reading", _settings.MaxReadAttempts, operation, table, call, op);

    public Task<T> WriteAsync<T>(string operation, string table, Func<CancellationToken, Task<T>> call, OpContext op) =>
        RunAsync(_write, "writing", _settings.MaxWriteAttempts, operation, table, call, op);

    private async Task<T> RunAsync<T>(ResiliencePipeline pipeline, string verb, int attempts, string operation, string table,
        Func<CancellationToken, Task<T>> call, OpContext op)
    {
        var context = ResilienceContextPool.Shared.Get(op.Token);
        context.Properties.Set(OpKey, op);
        var attempt = 0;
        try
        {
            return await pipeline.ExecuteAsync(async ctx =>
            {
                attempt++;
                _counter.Add(operation);
                op.Log.Debug($"DynamoDB {operation} {table} (attempt {attempt})");
                return await call(ctx.CancellationToken).ConfigureAwait(false);
            }, context).ConfigureAwait(false);
        }
        catch (Exception e) when (!op.Token.IsCancellationRequested && e is not CimaaException)
        {
            throw Translate(e, verb, attempt, table, () => RetryCause.Describe(e, _endpoint.Value, _settings.RequestTimeout));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline Build(int attempts)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _settings.Clock };
        if (attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(FullJitter(args.AttemptNumber)),
                OnRetry = args =>
                {
                    var op = args.Context.Properties.GetValue(OpKey, OpContext.None);
                    var e = args.Outcome.Exception!;
                    op.Log.Warning(RetryCause.Warning(e, _endpoint.Value, _settings.RequestTimeout, args.RetryDelay));
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.Build();
    }

    /// <summary>Full jitter: a uniform delay between 0 and min(cap, base * 2^attempt).</summary>
    private TimeSpan FullJitter(int attemptNumber)
    {
        var ceiling = _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attemptNumber);
        ceiling = Math.Min(ceiling, _settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    internal static bool IsThrottling(Exception e) =>
        e is UnprocessedItemsException || (e is AmazonServiceException s && s.ErrorCode is { } code && ThrottlingCodes.Contains(code));

    internal static bool IsTransient(Exception e) => e switch
    {
        UnprocessedItemsException => true,
        AmazonServiceException s when IsThrottling(s) => true,
        AmazonServiceException s => (int)s.StatusCode >= 500 || (s.StatusCode == 0 && s.InnerException is HttpRequestException or IOException),
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        AmazonClientException c => c.InnerException is HttpRequestException or IOException or WebException,
        _ => false,
    };

    private static CimaaException Translate(Exception e, string verb, int attempts, string table, Func<string> cause)
    {
        if (IsThrottling(e))
        {
            return new CimaaException(ErrorIds.ThroughputExceeded, CimaaErrorCategory.LimitsExceeded,
                $"error {verb} dynamodb in {attempts} tries", table, e);
        }
        if (IsTransient(e))
        {
            return new CimaaException(ErrorIds.DynamoDbUnavailable, CimaaErrorCategory.ConnectionError,
                $"error {verb} dynamodb in {attempts} tries: {cause()}", table, e);
        }
        if (e is ResourceNotFoundException)
        {
            return new CimaaException(ErrorIds.TableNotFound, CimaaErrorCategory.ObjectNotFound,
                $"The table '{table}' does not exist; run Initialize-CimaaTable.", table, e);
        }
        return new CimaaException(ErrorIds.DynamoDbError, CimaaErrorCategory.InvalidOperation,
            $"DynamoDB error on '{table}': {e.Message}", table, e);
    }
}

/// <summary>Raised inside the retry loop when a BatchWriteItem left items unprocessed.</summary>
internal sealed class UnprocessedItemsException(int count) : Exception($"{count} items were not processed")
{
}
