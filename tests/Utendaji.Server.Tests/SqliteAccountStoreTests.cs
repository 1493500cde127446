using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

public class SqliteAccountStoreTests : AccountStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "utendaji-account-tests", Guid.NewGuid().ToString("N"));

    private string DatabaseFile => Path.Combine(_folder, "store.db");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    protected override async Task<IAccountStore> OpenAnotherAsync() => await SqliteAccountStore.OpenAsync(DatabaseFile);

    protected override async Task<string> StoredTextAsync()
    {
        // The file and its write-ahead log, read while the store is open (shared read).
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(_folder))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }
}
