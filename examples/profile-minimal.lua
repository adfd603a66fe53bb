hexe.ses.isolation.set({ profile = "minimal" })
