using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Builds the SDK client from the settings. The SDK's own retries are off: the DynamoCaller is the only retry layer.</summary>
internal static class DynamoClientFactory
{
    public static AmazonDynamoDBClient Create(ConnectionSettings settings)
    {
        var config = new AmazonDynamoDBConfig
        {
            MaxErrorRetry = 0,
            RetryMode = RequestRetryMode.Standard,
            Timeout = settings.RequestTimeout,
        };
        if (settings.EndpointUrl is not null)
        {
            config.ServiceURL = settings.EndpointUrl.ToString();
            config.AuthenticationRegion = settings.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        if (settings.HttpClientFactory is HttpClientFactory factory)
        {
            config.HttpClientFactory = factory;
        }
        return new AmazonDynamoDBClient(Credentials(settings), config);
    }

    /// <summary>
    /// The endpoint requests go to, as warnings name it: -EndpointUrl, else the regional endpoint the SDK resolves
    /// (<c>https://dynamodb.eu-west-1.amazonaws.com</c>).
    /// </summary>
    public static string EndpointText(AmazonDynamoDBClient client, ConnectionSettings settings)
    {
        if (settings.EndpointUrl is { } url) return RetryCause.EndpointText(url);
        try
        {
            var resolved = client.DetermineServiceOperationEndpoint(new Amazon.DynamoDBv2.Model.QueryRequest())?.URL;
            if (Uri.TryCreate(resolved, UriKind.Absolute, out var uri)) return RetryCause.EndpointText(uri);
        }
        catch (Exception e) when (e is AmazonClientException or ArgumentException or InvalidOperationException)
        {
            // Fall through to the name the region implies.
        }
        return $"dynamodb.{settings.Region}";
    }

    private static AWSCredentials Credentials(ConnectionSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.AccessKeyId) && settings.SecretAccessKey is not null)
        {
            return new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey);
        }
        if (!string.IsNullOrEmpty(settings.ProfileName))
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(settings.ProfileName, out var fromProfile)) return fromProfile;
            throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.ObjectNotFound,
                $"The AWS profile '{settings.ProfileName}' was not found.", settings.ProfileName);
        }
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException) when (settings.EndpointUrl is not null)
        {
            // A local endpoint (dynalite, DynamoDB Local) accepts any signature.
            return new BasicAWSCredentials("local", "local");
        }
    }
}
