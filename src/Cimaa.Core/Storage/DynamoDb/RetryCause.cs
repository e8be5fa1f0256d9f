using System.Globalization;
using Amazon.Runtime;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Words the cause of a failed DynamoDB attempt for the retry warning and the final error. Throttling keeps zc.cimaa's text;
/// a 5xx answer or a network failure names the endpoint and what went wrong.
/// </summary>
internal static class RetryCause
{
    public const string Throttling = "exceeded provisioned throughput";

    /// <summary>The warning written before a retry: the cause, then <c>; waiting N seconds</c>.</summary>
    public static string Warning(Exception e, string endpoint, TimeSpan requestTimeout, TimeSpan delay) =>
        $"{Describe(e, endpoint, requestTimeout)}; waiting {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";

    /// <summary>
    /// <c>exceeded provisioned throughput</c>, <c>DynamoDB at &lt;endpoint&gt; answered 500 (InternalServerError)</c>, or
    /// <c>cannot reach DynamoDB at &lt;endpoint&gt; (connection refused)</c>.
    /// </summary>
    public static string Describe(Exception e, string endpoint, TimeSpan requestTimeout)
    {
        if (DynamoCaller.IsThrottling(e)) return Throttling;
        if (e is AmazonServiceException { StatusCode: var status } s && (int)status >= 500)
        {
            var code = string.IsNullOrEmpty(s.ErrorCode) ? status.ToString() : s.ErrorCode;
            return $"DynamoDB at {endpoint} answered {(int)status} ({code})";
        }
        return $"cannot reach DynamoDB at {endpoint} ({NetworkFailure.Reason(e, requestTimeout)})";
    }

    /// <summary>The endpoint as shown to users: scheme, host, port and path, never the user info or the query.</summary>
    public static string EndpointText(Uri endpoint)
    {
        var path = endpoint.AbsolutePath == "/" ? "" : endpoint.AbsolutePath;
        return $"{endpoint.Scheme}://{endpoint.Authority}{path}";
    }
}
