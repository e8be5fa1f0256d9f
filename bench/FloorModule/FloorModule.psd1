@{
    RootModule        = 'FloorModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '6d0f4c3e-92a1-4b7e-8f53-2c1d7e9a4b60'
    CmdletsToExport   = @('Get-FloorAgent', 'Set-FloorFault')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
