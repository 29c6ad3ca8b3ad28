"""How a visitor's message is read beyond its intent: clauses, what it asks for, the plan."""
