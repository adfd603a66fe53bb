-- Add debug output
print("Setting isolation profile: balanced")
hexe.ses.isolation.set({ profile = "balanced" })
