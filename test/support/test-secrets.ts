// Fixed, public test values; never used outside tests.
export const TEST_ENCRYPTION_KEYS = 'k1:' + Buffer.alloc(32, 7).toString('base64');
export const TEST_ADMIN_SECRET = 'test-admin-secret-0123456789';
