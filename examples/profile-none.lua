hexe.ses.isolation.set({ profile = "none" })
