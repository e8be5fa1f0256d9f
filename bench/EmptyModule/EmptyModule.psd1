@{
    RootModule        = 'EmptyModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0b7e2d55-3c1f-4a44-9d7c-5f0f6c1e2a10'
    CmdletsToExport   = @('Get-Nothing')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
