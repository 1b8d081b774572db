// Placeholder until the component lands (issue 4): the program reads stack config and builds SelfServicePasswordReset.
export {};
