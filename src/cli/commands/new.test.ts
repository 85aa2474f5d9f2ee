import { describe, expect, it } from 'vitest';
import { packageName } from './new.js';

describe('packageName', () => {
  it('makes a valid npm name of a folder name', () => {
    expect(packageName('my-app')).toBe('my-app');
    expect(packageName('My App!')).toBe('my-app');
    expect(packageName('.hidden_App')).toBe('hidden_app');
    expect(packageName('???')).toBe('lona-app');
  });
});
