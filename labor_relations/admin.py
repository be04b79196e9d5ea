"""The bureau's back office for the labour-relations registers (劳动关系科, 劳动监察大队, 仲裁院).
Rules live on the models, and so does what each admin lists (registers.admin.RegisterAdmin); the
shared admin recounts the indicators each save feeds."""

from registers.admin import admin_register_all

admin_register_all("labor_relations")
