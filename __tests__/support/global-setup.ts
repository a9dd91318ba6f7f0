// Starts what the integration tests need (filled in by the platform work: AWS emulator, Terraform mirror).
export default async function globalSetup(): Promise<void> {}
