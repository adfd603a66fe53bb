-- Disable all isolation for debugging
hexe.ses.isolation.set({ profile = "none" })
