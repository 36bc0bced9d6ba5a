import FurrowCore
