import '@testing-library/jest-dom';

// Tables and user-event clicks are slow on the shared CI machines (2 cores for everyone).
jest.setTimeout(30_000);
