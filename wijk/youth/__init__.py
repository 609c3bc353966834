"""The youth lens: youth care, child protection and schools per wijk."""
